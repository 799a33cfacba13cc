/**
 * Client-certificate auth end to end over real TLS, against an in-process HTTPS server that
 * demands a certificate from its CA (the test API server runs without --client-ca-file, so it
 * cannot take this role).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { AnySecretStore } from '../../api/types.ts';
import { createTestCa, type KeyPairPem } from '../../../test/support/pki.ts';
import {
  ProviderError,
  StoreConfigError,
  type ProviderContext,
  type ProviderKubeAccess,
} from '../provider.ts';
import { createKubernetesProvider } from './provider.ts';

const encoder = new TextEncoder();
const clientCa = createTestCa('client-ca');
const serverCa = createTestCa('server-ca');
const serverPair = serverCa.issue({ commonName: 'apiserver', server: true });
const reader = clientCa.issue({ commonName: 'remote-reader', organizations: ['readers'] });
const stranger = createTestCa('other-ca').issue({ commonName: 'remote-reader' });

function kubeWith(secrets: Record<string, Record<string, string>>): ProviderKubeAccess {
  const read = ({ namespace, name, key }: { namespace: string; name: string; key: string }) => {
    const value = secrets[`${namespace}/${name}`]?.[key];
    return value === undefined
      ? Promise.reject(new Error(`Secret ${namespace}/${name} has no key ${key}`))
      : Promise.resolve(encoder.encode(value));
  };
  return {
    readSecretKey: read,
    readConfigMapKey: read,
    createServiceAccountToken: () => Promise.reject(new Error('no TokenRequest here')),
  };
}

function context(pair: KeyPairPem): ProviderContext {
  const quiet = (): undefined => undefined;
  return {
    namespace: 'apps',
    kube: kubeWith({ 'apps/tls': { 'tls.crt': pair.cert, 'tls.key': pair.key } }),
    clock: { now: () => Date.now() },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    fetch: globalThis.fetch,
  };
}

describe('kubernetes provider: client certificate auth over TLS', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];

  before(async () => {
    server = createServer(
      {
        cert: serverPair.cert,
        key: serverPair.key,
        ca: clientCa.cert,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const cn = (req.socket as TLSSocket).getPeerCertificate().subject.CN;
        seen.push(`${String(cn)} ${req.method ?? ''} ${req.url ?? ''}`);
        if (req.url !== '/api/v1/namespaces/remote/secrets/db') {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"kind":"Status","code":404}');
          return;
        }
        const data = { password: Buffer.from('cert-read').toString('base64') };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ metadata: { name: 'db', namespace: 'remote' }, data }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `https://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
  });
  after(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );

  const store = (): AnySecretStore => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 'remote-cluster', namespace: 'apps' },
    spec: {
      provider: {
        kubernetes: {
          server: { url, caBundle: Buffer.from(serverCa.cert).toString('base64') },
          auth: {
            cert: {
              clientCert: { name: 'tls', key: 'tls.crt' },
              clientKey: { name: 'tls', key: 'tls.key' },
            },
          },
          remoteNamespace: 'remote',
        },
      },
    },
  });

  it('presents the certificate and reads as its subject', async () => {
    const client = await createKubernetesProvider().newClient(store(), context(reader));
    const value = await client.getSecret({ key: 'db', property: 'password' });
    assert.equal(new TextDecoder().decode(value), 'cert-read');
    assert.deepEqual(seen, ['remote-reader GET /api/v1/namespaces/remote/secrets/db']);
  });

  it('a certificate from another CA fails the handshake: a retryable ProviderError', async () => {
    const client = await createKubernetesProvider().newClient(store(), context(stranger));
    await assert.rejects(
      client.getSecret({ key: 'db' }),
      (e: Error) =>
        e instanceof ProviderError &&
        e.details.retryable === true &&
        !e.message.includes('PRIVATE KEY') &&
        e.message.startsWith('cannot get Secret remote/db'),
    );
  });

  it('a key that does not match the certificate is a config error without key material', async () => {
    const mismatched = { cert: reader.cert, key: stranger.key };
    await assert.rejects(
      createKubernetesProvider().newClient(store(), context(mismatched)),
      (e: Error) =>
        e instanceof StoreConfigError &&
        e.message.startsWith('failed to prepare auth: invalid client certificate or key') &&
        !e.message.includes('BEGIN'),
    );
  });

  it('a missing certificate Secret names the reference', async () => {
    const ctx = { ...context(reader), kube: kubeWith({}) };
    await assert.rejects(
      createKubernetesProvider().newClient(store(), ctx),
      (e: Error) =>
        e instanceof ProviderError &&
        e.message ===
          'failed to prepare auth: could not fetch client key and cert: unable to fetch client certificate: Secret apps/tls has no key tls.crt',
    );
  });
});
