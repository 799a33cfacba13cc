/**
 * The per-store circuit breaker (ADR 0014) with `ferry operator` as a real process: ten
 * ExternalSecrets read one OpenBao store through a fault-injecting proxy (test/support/fault-proxy.ts)
 * that answers 503 for 40 s. With the breaker the store sees its threshold of failures and then
 * one probe per open period, not every ExternalSecret's backoff; the events name the open circuit,
 * the Secrets stay as they were, and after the fault everything converges with no spec change.
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
import type { Cond, EsObj, EventObj, Obj, SecretObj } from './operator-behaviours-support.ts';
import { decode } from './operator-behaviours-support.ts';
import {
  createVaultTokenSecret,
  extractExternalSecret,
  vaultTokenStore,
} from './operator-vault-objects.ts';
import { bao, enableKv, env } from './vault-support.ts';

const ES = EsoResources.ExternalSecret;
const canary = `canary-${uniqueName('circuit')}`;
const mount = uniqueName('kvc');
const klass = uniqueName('ferry-circuit');
const COUNT = 10;
const THRESHOLD = 5;
const OPEN_MS = 5000;
const OUTAGE_MS = 40_000;
const names = Array.from({ length: COUNT }, (_, i) => `app-${String(i)}`);
let client: KubeClient;
let ns: string;
let proxy: FaultProxy;
let operator: OperatorProcess;

async function rotate(rev: string): Promise<void> {
  await bao('POST', `${mount}/data/app`, { data: { password: canary, rev } });
}

async function secrets(): Promise<Map<string, SecretObj>> {
  const list = await client.list<SecretObj>(Resources.Secret, { namespace: ns });
  return new Map(list.items.map((s) => [s.metadata.name ?? '', s]));
}

async function readyOf(name: string): Promise<Cond | undefined> {
  const es = await client.get<EsObj>(ES, { namespace: ns, name });
  return es?.status?.conditions?.find((c) => c.type === 'Ready');
}

async function allConvergedTo(rev: string, timeoutMs: number): Promise<void> {
  await eventually(
    `all ${String(COUNT)} Secrets carry ${rev} and every ExternalSecret is Ready`,
    async () => {
      const current = await secrets();
      for (const name of names) {
        if (decode(current.get(name)?.data?.['rev']) !== rev) return undefined;
        if ((await readyOf(name))?.status !== 'True') return undefined;
      }
      return true;
    },
    timeoutMs,
  );
}

async function events(): Promise<EventObj[]> {
  return (await client.list<EventObj>(Resources.Event, { namespace: ns })).items;
}

const circuitGauge = () =>
  operator.metric(
    new RegExp(`^ferry_store_circuit_open\\{kind="SecretStore",namespace="${ns}",name="vault"\\}`),
  );

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-store-circuit');
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
  for (const name of names) {
    await client.create<Obj>(
      ES,
      extractExternalSecret({
        name,
        namespace: ns,
        store: 'vault',
        refreshInterval: '5s',
        key: 'app',
      }),
    );
  }
  operator = await startOperator({
    args: [
      `--namespace=${ns}`,
      `--controller-class=${klass}`,
      `--store-circuit-threshold=${String(THRESHOLD)}`,
      `--store-circuit-open-duration=${String(OPEN_MS / 1000)}s`,
    ],
  });
  await allConvergedTo('v1', 90_000);
});

after(async () => {
  const code = await operator.stop();
  await proxy.close();
  const texts = [operator.output(), JSON.stringify(await events())];
  await deleteNamespace(client, ns);
  assert.equal(code, 0, 'graceful shutdown exits 0');
  for (const text of texts) assert.ok(!text.includes(canary), 'the canary never leaves the data');
});

describe('ferry operator: a failing store trips its circuit', () => {
  it('a 40 s outage costs the threshold plus one probe per open period, then heals', async (t) => {
    const before = await secrets();
    proxy.answered.length = 0;
    proxy.faults = { status: { code: 503, count: 1e9, body: '{"errors":["Vault is sealed"]}' } };
    proxy.cut();
    const start = Date.now();
    await rotate('v2');

    const opened = await eventually('an UpdateFailed event naming the open circuit', async () =>
      (await events()).find(
        (e) =>
          e.type === 'Warning' &&
          e.reason === 'UpdateFailed' &&
          /store circuit open: SecretStore .+\/vault failed \d+ consecutive times/.test(
            e.message ?? '',
          ),
      ),
    );
    assert.match(opened.message ?? '', /last error: vault: GET .*\/data\/app: 503 Vault is sealed/);
    assert.match(opened.message ?? '', /next probe|probe request is in flight/);
    assert.equal(await circuitGauge(), 1, 'ferry_store_circuit_open is 1');

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - start))));
    const reads = proxy.answered.filter((a) => a.line.includes(`/${mount}/data/app`));
    proxy.faults = {};
    const elapsed = Date.now() - start;

    // Without the breaker every ExternalSecret tries at 0, 1, 3, 7, 15 and 31 s of its backoff:
    // at least 6 reads each in 40 s, 60 in all. With it: the threshold, then one probe per open
    // period (at most elapsed / open + 1), plus one more in flight as the circuit opens.
    const withoutBreaker = COUNT * 6;
    const bound = THRESHOLD + Math.ceil(elapsed / OPEN_MS) + 1 + 1;
    const times = reads.map((a) => a.at - start);
    const summary = `${String(reads.length)} reads in ${String(elapsed)} ms at ${times.join(', ')} ms`;
    t.diagnostic(summary);
    assert.ok(reads.length >= THRESHOLD, `the store saw the failures that opened it: ${summary}`);
    assert.ok(reads.length <= bound, `at most ${String(bound)}: ${summary}`);
    assert.ok(reads.length * 3 < withoutBreaker, `far fewer than ${String(withoutBreaker)}`);
    // Once open, reads reaching the store are probes: at least one open period apart.
    const probes = times.slice(THRESHOLD);
    const gaps = probes.slice(1).map((t, i) => t - (probes[i] ?? t));
    assert.ok(
      gaps.every((g) => g >= OPEN_MS - 500),
      `probes one open period apart: ${summary}`,
    );
    const fastFailed = await operator.metric(/^ferry_store_circuit_fast_failures_total\{/);
    assert.ok(fastFailed > 0, 'fast failures are counted');

    const during = await secrets();
    for (const name of names) {
      const was = before.get(name);
      assert.equal(during.get(name)?.metadata.resourceVersion, was?.metadata.resourceVersion);
      assert.deepEqual(during.get(name)?.data, was?.data, `${name} untouched`);
      assert.equal(decode(during.get(name)?.data?.['rev']), 'v1');
    }

    // The first ExternalSecret retry after the open period probes the store (their own backoff,
    // 1 s doubling, brings one back within about 32 s of the fault clearing); its success closes
    // the circuit and re-queues every ExternalSecret of the store, so the rest follow at once.
    await eventually(
      'the circuit closes',
      async () => ((await circuitGauge()) === 0 ? true : undefined),
      90_000,
    );
    await allConvergedTo('v2', 15_000);
  });
});
