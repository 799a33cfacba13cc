/** Starts the demo app: `node --import tsx src/main.ts` (or `node dist/main.js` in the image). */
import { ConfigError, readConfig } from './config.ts';
import { createDemoServer } from './server.ts';

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

try {
  const config = readConfig(process.env);
  const server = createDemoServer({ config, env: () => process.env, log });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log(
      `demo app listening on http://${config.host}:${port} (secrets: ${config.secretsDir}, config: ${config.configDir})`,
    );
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  process.stderr.write(
    `demo-app: ${error instanceof ConfigError ? error.message : 'failed to start'}\n`,
  );
  process.exitCode = 1;
}
