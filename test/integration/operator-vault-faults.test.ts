/**
 * `ferry operator` as a real process, reading the real OpenBao through a fault-injecting proxy
 * (test/support/fault-proxy.ts). For each fault class the issue names (sealed, 5xx, 403, stopped,
 * slow, wrong mount): the managed Secret keeps its data and resourceVersion, the ExternalSecret's
 * Ready condition and a Warning event name the cause without a value, retries back off, and once
 * the fault clears the operator delivers the value rotated meanwhile, with no spec change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import { startFaultProxy, type FaultProxy, type Faults } from '../support/fault-proxy.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import type { Cond, EsObj, EventObj, Obj, SecretObj } from './operator-behaviours-support.ts';
import { decode } from './operator-behaviours-support.ts';
import {
  createVaultTokenSecret,
  extractExternalSecret,
  vaultTokenStore,
} from './operator-vault-objects.ts';
import { bao, enableKv, env } from './vault-support.ts';

const ES = EsoResources.ExternalSecret;
const STORE = EsoResources.SecretStore;
const canary = `canary-${uniqueName('faults')}`;
const mount = uniqueName('kvf');
const klass = uniqueName('ferry-faults');
const name = 'app';
let client: KubeClient;
let ns: string;
let proxy: FaultProxy;
let operator: OperatorProcess;
let generation = 0;

/** Writes a new value; every phase rotates one during its fault and expects it after. */
async function rotate(): Promise<string> {
  generation++;
  const value = `v${String(generation)}`;
  await bao('POST', `${mount}/data/app`, { data: { password: canary, rev: value } });
  return value;
}

async function ready(): Promise<Cond | undefined> {
  const es = await client.get<EsObj>(ES, { namespace: ns, name });
  return es?.status?.conditions?.find((c) => c.type === 'Ready');
}

async function secret(): Promise<SecretObj | undefined> {
  return client.get<SecretObj>(Resources.Secret, { namespace: ns, name });
}

async function warnings(): Promise<EventObj[]> {
  const events = await client.list<EventObj>(Resources.Event, { namespace: ns });
  return events.items.filter(
    (e) => e.type === 'Warning' && e.involvedObject?.name === name && e.reason === 'UpdateFailed',
  );
}

async function convergedTo(rev: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    `Secret carries ${rev} and Ready=True`,
    async () =>
      decode((await secret())?.data?.['rev']) === rev && (await ready())?.status === 'True'
        ? true
        : undefined,
    timeoutMs,
  );
}

/**
 * Puts `fault` in place, waits for the ExternalSecret to report it, checks that nothing was
 * written, then clears the fault and expects the value rotated during it, on the operator's own.
 */
async function outage(
  fault: { faults?: Faults; stop?: boolean },
  expected: RegExp,
): Promise<EventObj> {
  const before = await secret();
  assert.ok(before?.metadata.resourceVersion, 'the Secret exists before the fault');
  if (fault.stop) await proxy.stop();
  else {
    proxy.faults = fault.faults ?? {};
    proxy.cut();
  }
  try {
    const rev = await rotate();
    // As ESO, the condition carries a fixed message and the event the provider's detail.
    const cond = await eventually('Ready=False', async () => {
      const c = await ready();
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(cond.reason, 'SecretSyncedError');
    assert.equal(cond.message, 'could not get secret data from provider');
    // Each phase's detail differs, so an event matching it was recorded during this phase.
    const event = await eventually('an UpdateFailed Warning event naming the fault', async () =>
      (await warnings()).find((e) => expected.test(e.message ?? '')),
    );
    const during = await secret();
    assert.equal(during?.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(during.data, before.data);
    if (fault.stop) await proxy.start();
    proxy.faults = {};
    await convergedTo(rev);
    return event;
  } finally {
    if (fault.stop) await proxy.start().catch(() => undefined);
    proxy.faults = {};
  }
}

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-vault-faults');
  await enableKv(mount, 2);
  await rotate();
  proxy = await startFaultProxy(env.vaultAddr);
  await createVaultTokenSecret(client, ns);
  const store = { namespace: ns, controller: klass, server: proxy.url };
  await client.create<Obj>(STORE, vaultTokenStore({ ...store, name: 'vault', path: mount }));
  await client.create<Obj>(
    STORE,
    vaultTokenStore({ ...store, name: 'vault-wrong-mount', path: `${mount}-missing` }),
  );
  await client.create<Obj>(
    ES,
    extractExternalSecret({
      name,
      namespace: ns,
      store: 'vault',
      refreshInterval: '2s',
      key: 'app',
    }),
  );
  operator = await startOperator({
    // The store circuit breaker (tested in operator-store-circuit.test.ts) would open during the
    // 20 s backoff phase and add a backoff step to its recovery; here each ExternalSecret's own
    // retries are under test.
    args: [`--namespace=${ns}`, `--controller-class=${klass}`, '--store-circuit-threshold=0'],
  });
  await convergedTo('v1', 90_000);
});

after(async () => {
  const code = await operator.stop();
  await proxy.close();
  await deleteNamespace(client, ns);
  assert.equal(code, 0, 'graceful shutdown exits 0');
  for (const text of [operator.output(), JSON.stringify(proxy.answered)])
    assert.ok(!text.includes(canary), 'the canary value never leaves the data path');
});

describe('ferry operator: Vault faults keep the Secret and heal on their own', () => {
  it('sealed (503): names the status and Vault’s reason', async () => {
    const event = await outage(
      { faults: { status: { code: 503, count: 1e9, body: '{"errors":["Vault is sealed"]}' } } },
      /503 Vault is sealed/,
    );
    assert.match(event.message ?? '', new RegExp(`${mount}/data/app`), 'names the path');
  });

  it('server error (500)', async () => {
    await outage(
      { faults: { status: { code: 500, count: 1e9, body: '{"errors":["internal error"]}' } } },
      /500 internal error/,
    );
  });

  it('permission denied (403)', async () => {
    await outage(
      { faults: { status: { code: 403, count: 1e9, body: '{"errors":["permission denied"]}' } } },
      /403 permission denied/,
    );
  });

  it('server stopped (connection refused)', async () => {
    await outage({ stop: true }, /ECONNREFUSED|connection refused|connect/i);
  });

  it('slow server: still converges, one write per change', async () => {
    const updates = /^ferry_kube_requests_total\{verb="(update|apply|mergePatch)",kind="Secret"/;
    const w0 = await operator.metric(updates);
    proxy.faults = { latencyMs: 700 };
    proxy.cut();
    const rev = await rotate();
    await convergedTo(rev);
    // Let a few more slow refreshes pass: none of them may write.
    await new Promise((r) => setTimeout(r, 5000));
    proxy.faults = {};
    assert.equal(decode((await secret())?.data?.['rev']), rev);
    assert.equal((await operator.metric(updates)) - w0, 1, 'exactly the one rotation was written');
  });

  it('retries back off while the fault lasts', async () => {
    proxy.answered.length = 0;
    proxy.faults = { status: { code: 503, count: 1e9, body: '{"errors":["Vault is sealed"]}' } };
    proxy.cut();
    await new Promise((r) => setTimeout(r, 20_000));
    proxy.faults = {};
    const times = proxy.answered
      .filter((a) => a.line.includes(`/${mount}/data/app`))
      .map((a) => a.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    const summary = `${String(times.length)} attempts in 20 s, gaps ${gaps.join(', ')} ms`;
    // The 2 s refresh would try 10 times in 20 s; a 1 s doubling backoff about 5 (1, 2, 4, 8 s).
    assert.ok(times.length >= 3 && times.length <= 6, summary);
    assert.ok((gaps.at(-1) ?? 0) >= 2 * (gaps[0] ?? Infinity), `gaps grow: ${summary}`);
    const rev = await rotate();
    await convergedTo(rev);
  });

  it('wrong mount: Ready=False names the path; the Secret is kept', async () => {
    const before = await secret();
    assert.ok(before);
    const storeRef = (store: string) => ({
      spec: { secretStoreRef: { name: store, kind: 'SecretStore' } },
    });
    await client.mergePatch(ES, { namespace: ns, name }, storeRef('vault-wrong-mount'));
    const cond = await eventually('Ready=False for the wrong mount', async () => {
      const c = await ready();
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(cond.reason, 'SecretSyncedError');
    await eventually('an UpdateFailed event naming the store', async () =>
      (await warnings()).find((e) =>
        (e.message ?? '').includes('SecretStore "vault-wrong-mount" is not ready'),
      ),
    );
    const store = await client.get<EsObj>(STORE, { namespace: ns, name: 'vault-wrong-mount' });
    const storeReady = store?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(storeReady?.status, 'False');
    // As ESO, the store's condition says "unable to validate store"; its event names the mount.
    assert.equal(storeReady.reason, 'InvalidProviderConfig');
    const storeEvents = await client.list<EventObj>(Resources.Event, { namespace: ns });
    const detail = storeEvents.items.filter((e) => e.involvedObject?.name === 'vault-wrong-mount');
    assert.ok(
      detail.some((e) => e.type === 'Warning' && (e.message ?? '').includes(`${mount}-missing`)),
      JSON.stringify(detail.map((e) => [e.reason, e.message])),
    );
    const during = await secret();
    assert.equal(during?.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(during?.data, before.data);
    await client.mergePatch(ES, { namespace: ns, name }, storeRef('vault'));
    const rev = await rotate();
    await convergedTo(rev);
  });
});
