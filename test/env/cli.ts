/** `npm run testenv:up` / `testenv:down`: start or stop the real test servers by hand. */
import { describeVersions, loadTestEnv, startTestEnv, stopTestEnv } from './testenv.ts';

const log = (line: string): void => {
  process.stderr.write(`testenv: ${line}\n`);
};

const [action] = process.argv.slice(2);
function running(): boolean {
  try {
    loadTestEnv().pids.forEach((pid) => process.kill(pid, 0));
    return true;
  } catch {
    return false;
  }
}

if (action === 'up' && running()) {
  log(`already running (${describeVersions(loadTestEnv())}); \`npm run testenv:down\` stops them`);
} else if (action === 'up') {
  stopTestEnv();
  const env = await startTestEnv(log);
  log(
    `KUBECONFIG=${env.kubeconfig} VAULT_ADDR=${env.vaultAddr} AWS_ENDPOINT_URL=${env.awsEndpointUrl}`,
  );
  log('source .testenv/env to use them from a shell; `npm run testenv:down` stops them');
} else if (action === 'down') {
  stopTestEnv();
  log('stopped');
} else {
  process.stderr.write('usage: node --import tsx test/env/cli.ts up|down\n');
  process.exitCode = 2;
}
