/** The demo app's settings, read once from the environment at start. */
export interface DemoConfig {
  host: string;
  port: number;
  secretsDir: string;
  configDir: string;
  /** Env var names shown in the "secret" category. */
  secretKeys: ReadonlySet<string>;
  /** Env var names shown in the "config" category. */
  configKeys: ReadonlySet<string>;
}

const DEFAULT_SECRET_KEYS = ['DATABASE_PASSWORD', 'API_KEY'];
const DEFAULT_CONFIG_KEYS = ['APP_NAME', 'DEBUG_MODE', 'MAX_CONNECTIONS'];

function list(value: string | undefined, fallback: string[]): Set<string> {
  if (value === undefined || value.trim() === '') return new Set(fallback);
  return new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

export class ConfigError extends Error {}

export function readConfig(env: Readonly<Record<string, string | undefined>>): DemoConfig {
  const port = Number(env['DEMO_PORT'] ?? env['PORT'] ?? '8000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      `DEMO_PORT must be a port number, got "${env['DEMO_PORT'] ?? env['PORT'] ?? ''}"`,
    );
  }
  return {
    host: env['DEMO_HOST'] ?? '127.0.0.1',
    port,
    secretsDir: env['DEMO_SECRETS_DIR'] ?? '/etc/secrets',
    configDir: env['DEMO_CONFIG_DIR'] ?? '/etc/config',
    secretKeys: list(env['DEMO_SECRET_KEYS'], DEFAULT_SECRET_KEYS),
    configKeys: list(env['DEMO_CONFIG_KEYS'], DEFAULT_CONFIG_KEYS),
  };
}
