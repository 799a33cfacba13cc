/**
 * The seed's system on one machine (`npm start`): the four ExternalSecrets of deploy/manifests
 * against a ClusterSecretStore `vault-backend` — provider `fake` holding the seed's values, or a real
 * Vault/OpenBao when VAULT_ADDR is set — synced by the agent, feeding the demo app.
 */
import { applySchemaDefaults } from '../api/defaults.ts';
import type { AnySecretStore } from '../api/types.ts';

/** The seed's values (reference: the original init-vault.sh and vault-add-files). */
export const SEED_VALUES: Record<string, Record<string, string>> = {
  'secret/data/demo-app/secrets': {
    database_password: 'super_secret_db_pass_123',
    api_key: 'sk-demo-api-key-xyz789',
  },
  'secret/data/demo-app/config': {
    app_name: 'External Secrets Demo',
    debug_mode: 'true',
    max_connections: '100',
  },
  'secret/data/demo-app/tls-files': {
    'tls.crt':
      '-----BEGIN CERTIFICATE-----\nMIIDemoOnlyNotARealCertificate\n-----END CERTIFICATE-----\n',
    'tls.key': '-----BEGIN PRIVATE KEY-----\nMIIDemoOnlyNotARealKey\n-----END PRIVATE KEY-----\n',
  },
  'secret/data/demo-app/config-files': {
    'database.conf':
      '# Database Configuration\nhost=postgres.example.com\nport=5432\ndatabase=demo_app\nssl_mode=require\npool_size=20\nmax_overflow=10\n',
  },
};

export const DEMO_STORE_NAME = 'vault-backend';
export const DEMO_TOKEN_SECRET = {
  namespace: 'ferry-demo',
  name: 'vault-token',
  key: 'token',
} as const;

function store(provider: AnySecretStore['spec']['provider']): AnySecretStore {
  return applySchemaDefaults({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: DEMO_STORE_NAME },
    spec: { provider },
  });
}

/**
 * `{"tls.crt": v}` → `{"tls": {"crt": v}}`. ESO's fake provider resolves `property` with gjson
 * only, where `tls.crt` is a path, while Vault tries the exact key first; nesting the values makes
 * the same ExternalSecrets resolve against both.
 */
function nestDottedKeys(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) ?? key] = value;
  }
  return out;
}

/** The store of the seed's values, served by the `fake` provider. */
export function fakeDemoStore(): AnySecretStore {
  const data = Object.entries(SEED_VALUES).map(([key, value]) => ({
    key,
    value: JSON.stringify(nestDottedKeys(value)),
  }));
  return store({ fake: { data } });
}

/** The seed's store pointed at a real server, authenticated by the token in DEMO_TOKEN_SECRET. */
export function vaultDemoStore(server: string): AnySecretStore {
  return store({
    vault: {
      server,
      path: 'secret',
      version: 'v2',
      auth: { tokenSecretRef: { ...DEMO_TOKEN_SECRET } },
    },
  });
}
