/**
 * Refresh read sharing (ADR 0015) and the one-sided refresh plan (ADR 0013) with `ferry operator`
 * as a real process: two ExternalSecrets of one namespace read one OpenBao key through a proxy
 * that logs each request. With `--refresh-read-share=0.5` and a 20 s interval, a periodic refresh
 * may reuse a read up to 10 s old and refreshes are planned 8–10 s apart, so the store sees far
 * fewer reads than there are refreshes; a rotated value still reaches both Secrets within one
 * interval.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { decode, type Obj, type SecretObj } from './operator-behaviours-support.ts';
import {
  createVaultTokenSecret,
  extractExternalSecret,
  vaultTokenStore,
} from './operator-vault-objects.ts';
import { bao, enableKv, env } from './vault-support.ts';

const ES = EsoResources.ExternalSecret;
const canary = `canary-${uniqueName('share')}`;
const mount = uniqueName('kvs');
const klass = uniqueName('ferry-share');
const INTERVAL_S = 20;
const names = ['app-a', 'app-b'];
let client: KubeClient;
let ns: string;
let proxy: FaultProxy;
let operator: OperatorProcess;

async function rotate(rev: string): Promise<void> {
  await bao('POST', `${mount}/data/app`, { data: { password: canary, rev } });
}

async function revs(): Promise<string[]> {
  const list = await client.list<SecretObj>(Resources.Secret, { namespace: ns });
  const byName = new Map(list.items.map((s) => [s.metadata.name ?? '', s]));
  return names.map((name) => decode(byName.get(name)?.data?.['rev']));
}

const reads = () => proxy.forwarded.filter((r) => r.line.includes(`/v1/${mount}/data/app `));
const refreshes = () =>
  operator.metric(/^controller_runtime_reconcile_total\{controller="externalsecret"/);

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-read-share');
  await enableKv(mount, 2);
  await rotate('v1');
  proxy = await startFaultProxy(env.vaultAddr);
  await createVaultTokenSecret(client, ns);
  await client.create<Obj>(
    EsoResources.SecretStore,
    vaultTokenStore({
      name: 'vault',
      namespace: ns,
      controller: klass,
      server: proxy.url,
      path: mount,
    }),
  );
  for (const name of names)
    await client.create<Obj>(
      ES,
      extractExternalSecret({
        name,
        namespace: ns,
        store: 'vault',
        refreshInterval: `${String(INTERVAL_S)}s`,
        key: 'app',
      }),
    );
  operator = await startOperator({
    args: [`--namespace=${ns}`, `--controller-class=${klass}`, '--refresh-read-share=0.5'],
  });
  await eventually(
    'both Secrets synced',
    async () => ((await revs()).every((r) => r === 'v1') ? true : undefined),
    90_000,
  );
});

after(async () => {
  const code = await operator.stop();
  await proxy.close();
  await deleteNamespace(client, ns);
  assert.equal(code, 0, 'graceful shutdown exits 0');
  assert.ok(!operator.output().includes(canary), 'the canary never leaves the data path');
});

describe('ferry operator: periodic refreshes share reads', () => {
  it('reads the key far less often than it refreshes', async (t) => {
    const reads0 = reads().length;
    const refreshes0 = await refreshes();
    await new Promise((r) => setTimeout(r, 40_000));
    const readCount = reads().length - reads0;
    const refreshCount = (await refreshes()) - refreshes0;
    const summary = `${String(readCount)} reads for ${String(refreshCount)} refreshes in 40 s`;
    t.diagnostic(summary);
    // Two ExternalSecrets refreshing every 8–10 s make at least 8 refreshes in 40 s; a read
    // serves every refresh of the next 10 s, so about one read per 10 s reaches the store.
    assert.ok(refreshCount >= 8, summary);
    assert.ok(readCount <= 6, summary);
    assert.ok(readCount * 1.5 <= refreshCount, summary);
  });

  it('a rotation still reaches both Secrets within one refresh interval', async () => {
    await rotate('v2');
    const started = Date.now();
    await eventually(
      'v2 in both Secrets',
      async () => ((await revs()).every((r) => r === 'v2') ? true : undefined),
      (INTERVAL_S + 3) * 1000,
    );
    assert.ok(Date.now() - started <= (INTERVAL_S + 3) * 1000);
  });
});
