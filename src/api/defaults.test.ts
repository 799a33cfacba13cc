/* eslint-disable @typescript-eslint/no-unnecessary-condition -- assert.equal narrows types; optional chains keep each assertion independent of the ones before it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applySchemaDefaults,
  effectiveExternalSecretSpec,
  effectiveVaultProvider,
} from './defaults.ts';
import type { ExternalSecret, PushSecret, SecretStore } from './types.ts';

const es = (spec: ExternalSecret['spec']): ExternalSecret => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'demo', namespace: 'apps' },
  spec,
});

void describe('applySchemaDefaults', () => {
  void it('fills ExternalSecret defaults like the API server', () => {
    const out = applySchemaDefaults(
      es({
        data: [{ secretKey: 'a', remoteRef: { key: 'k' } }],
        target: {
          template: { templateFrom: [{ configMap: { name: 'c', items: [{ key: 'x' }] } }] },
        },
        dataFrom: [{ extract: { key: 'k' }, rewrite: [{ merge: {} }] }],
      }),
    );
    assert.equal(out.spec.refreshInterval, '1h0m0s');
    assert.equal(out.spec.target?.creationPolicy, 'Owner');
    assert.equal(out.spec.target?.deletionPolicy, 'Retain');
    assert.equal(out.spec.target?.template?.engineVersion, 'v2');
    assert.equal(out.spec.target?.template?.mergePolicy, 'Replace');
    assert.equal(out.spec.target?.template?.templateFrom?.[0]?.target, 'Data');
    assert.equal(
      out.spec.target?.template?.templateFrom?.[0]?.configMap?.items[0]?.templateAs,
      'Values',
    );
    assert.deepEqual(out.spec.dataFrom?.[0]?.rewrite?.[0]?.merge, {
      into: '',
      priorityPolicy: 'Strict',
      conflictPolicy: 'Error',
      strategy: 'Extract',
    });
    // ESO 2.9 no longer defaults strategies in the CRD (eso.md §9.1).
    assert.equal(out.spec.data?.[0]?.remoteRef.decodingStrategy, undefined);
    assert.equal(out.spec.secretStoreRef, undefined);
  });

  void it('keeps values that are set and does not touch the input', () => {
    const input = es({ refreshInterval: '0', target: { creationPolicy: 'Orphan' }, data: [] });
    const out = applySchemaDefaults(input);
    assert.equal(out.spec.refreshInterval, '0');
    assert.equal(out.spec.target?.creationPolicy, 'Orphan');
    assert.equal(out.spec.target?.deletionPolicy, 'Retain');
    assert.equal(input.spec.target?.deletionPolicy, undefined);
  });

  void it('treats null as absent', () => {
    const out = applySchemaDefaults({ ...es({}), spec: { refreshInterval: null } });
    assert.equal((out.spec as unknown as { refreshInterval: string }).refreshInterval, '1h0m0s');
  });

  void it('fills Vault mount paths and version', () => {
    const store: SecretStore = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 's' },
      spec: {
        provider: {
          vault: {
            server: 'http://v',
            auth: {
              appRole: { roleId: 'r', secretRef: { name: 's' } } as never,
              kubernetes: { role: 'r' } as never,
              ldap: { username: 'u' } as never,
              userPass: { username: 'u' } as never,
              jwt: {} as never,
              cert: {},
              gcp: { role: 'r' },
            },
          },
        },
      },
    };
    const auth = applySchemaDefaults(store).spec.provider.vault?.auth;
    assert.equal(applySchemaDefaults(store).spec.provider.vault?.version, 'v2');
    assert.deepEqual(
      [
        auth?.appRole?.path,
        auth?.kubernetes?.mountPath,
        auth?.ldap?.path,
        auth?.userPass?.path,
        auth?.jwt?.path,
        auth?.cert?.path,
        auth?.gcp?.path,
      ],
      ['approle', 'kubernetes', 'ldap', 'userpass', 'jwt', 'cert', 'gcp'],
    );
  });

  void it('fills PushSecret defaults', () => {
    const ps: PushSecret = {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'p' },
      spec: {
        secretStoreRefs: [{ name: 's' }],
        selector: { secret: { name: 'x' } },
        data: [{ match: { remoteRef: { remoteKey: 'r' } } }],
      },
    };
    const out = applySchemaDefaults(ps).spec;
    assert.equal(out.refreshInterval, '1h0m0s');
    assert.equal(out.updatePolicy, 'Replace');
    assert.equal(out.deletionPolicy, 'None');
    assert.equal(out.secretStoreRefs[0]?.kind, 'SecretStore');
    assert.equal(out.data?.[0]?.conversionStrategy, 'None');
  });

  void it('returns objects of other kinds unchanged', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } };
    assert.deepEqual(applySchemaDefaults(cm), cm);
  });
});

void describe('effective defaults', () => {
  void it('resolves what ESO assumes for empty ExternalSecret fields', () => {
    const spec = effectiveExternalSecretSpec(
      es({
        secretStoreRef: { name: 's' },
        data: [{ secretKey: 'a', remoteRef: { key: 'k' } }],
        dataFrom: [{ find: { path: 'p' } }],
        target: { template: { templateFrom: [{ literal: 'x', target: '' }] } },
      }),
    );
    assert.equal(spec.secretStoreRef?.kind, 'SecretStore');
    assert.equal(spec.refreshPolicy, 'Periodic');
    assert.equal(spec.target?.name, 'demo');
    assert.deepEqual(spec.data?.[0]?.remoteRef, {
      key: 'k',
      metadataPolicy: 'None',
      conversionStrategy: 'Default',
      decodingStrategy: 'None',
      nullBytePolicy: 'Ignore',
    });
    assert.equal(spec.dataFrom?.[0]?.find?.conversionStrategy, 'Default');
    assert.equal(spec.target?.template?.templateFrom?.[0]?.target, 'Data');
    assert.equal(spec.target?.template?.templateFrom?.[0]?.valuesDecodingStrategy, 'None');
  });

  void it('resolves Vault code defaults', () => {
    const vault = effectiveVaultProvider({
      server: 'http://v',
      tls: { certSecretRef: { name: 'c' }, keySecretRef: { name: 'k' } },
      auth: {
        iam: { vaultRole: 'r' },
        kubernetes: { mountPath: 'kubernetes', role: 'r', secretRef: { name: 't' } },
        jwt: { path: 'jwt', kubernetesServiceAccountToken: { serviceAccountRef: { name: 'sa' } } },
      },
    });
    assert.equal(vault.version, 'v2');
    assert.equal(vault.auth?.iam?.path, 'aws');
    assert.equal(vault.auth?.iam?.region, 'us-east-1');
    assert.equal(vault.auth?.kubernetes?.secretRef?.key, 'token');
    assert.deepEqual(vault.auth?.jwt?.kubernetesServiceAccountToken?.audiences, ['vault']);
    assert.equal(vault.auth?.jwt?.kubernetesServiceAccountToken?.expirationSeconds, 600);
    assert.equal(vault.tls?.certSecretRef?.key, 'tls.crt');
    assert.equal(vault.tls?.keySecretRef?.key, 'tls.key');
  });
});
