/**
 * `ferry operator` against a private API server (own etcd + kube-apiserver) that is killed and
 * started again: the operator keeps running (same process, no exit), its watches come back, it
 * converges changes made after the restart (store data, a deleted managed Secret, a new
 * ExternalSecret) and /readyz answers 200 again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import {
  fakeExternalSecret,
  fakeStore,
  getSecret,
  readyCondition,
  secretText,
} from '../support/fake-store.ts';
import { startKubePair, type KubePair } from '../support/kube-pair.ts';
import { createNamespace, eventually, testKubeClient, uniqueName } from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';

/** Watch restarts back off up to 30 s, so convergence after the outage gets a generous bound. */
const RECOVERY_MS = 60_000;
const STORE = 'fake';

let pair: KubePair;
let client: KubeClient;
let ns: string;
let klass: string;
let operator: OperatorProcess | undefined;

const restarts = /^ferry_informer_restarts_total\{/;

async function readyz(): Promise<number> {
  return (await fetch(`${operator?.healthUrl ?? ''}/readyz`)).status;
}

async function storeData(data: Record<string, string>): Promise<void> {
  await client.mergePatch(
    EsoResources.SecretStore,
    { namespace: ns, name: STORE },
    { spec: fakeStore({ namespace: ns, name: STORE, klass }, data).spec },
  );
}

before(async () => {
  pair = await startKubePair();
  client = testKubeClient(pair.kubeconfig);
  await applyCrds(client);
  ns = await createNamespace(client, 'op-restart');
  klass = uniqueName('restart');
  await client.create(
    EsoResources.SecretStore,
    fakeStore({ namespace: ns, name: STORE, klass }, { rotating: 'r-1', steady: 's-1' }),
  );
  await client.create(
    EsoResources.ExternalSecret,
    fakeExternalSecret({ namespace: ns, name: 'es-rotating', store: STORE }, ['rotating'], '3s'),
  );
  await client.create(
    EsoResources.ExternalSecret,
    fakeExternalSecret({ namespace: ns, name: 'es-steady', store: STORE }, ['steady']),
  );
});

after(async () => {
  await operator?.kill();
  await pair.stop();
});

describe('ferry operator across an API server restart', () => {
  it('syncs against the private API server', async () => {
    operator = await startOperator({
      kubeconfig: pair.kubeconfig,
      args: [`--namespace=${ns}`, `--controller-class=${klass}`],
    });
    for (const name of ['es-rotating', 'es-steady']) {
      await eventually(`${name} Ready`, async () =>
        (await readyCondition(client, ns, name))?.status === 'True' ? true : undefined,
      );
    }
    assert.deepEqual(await secretText(client, ns, 'es-rotating'), { rotating: 'r-1' });
    await eventually('ready', async () => ((await readyz()) === 200 ? true : undefined));
  });

  it('recovers without a restart of its own and converges changes made afterwards', async () => {
    const op = operator;
    assert.ok(op);
    const pid = op.child.pid;
    const restartsBefore = await op.metric(restarts);
    await pair.killApiserver();
    await eventually(
      'the operator notices the outage',
      async () => ((await op.metric(restarts)) > restartsBefore ? true : undefined),
      RECOVERY_MS,
    );
    assert.equal(op.exited, false, `the operator exited during the outage:\n${op.output()}`);
    await pair.startApiserver();

    // Each change needs a different watch: the store's, the Secrets', the ExternalSecrets'.
    await storeData({ rotating: 'r-2', steady: 's-1', fresh: 'f-1' });
    await client.delete(Resources.Secret, { namespace: ns, name: 'es-steady' });
    await client.create(
      EsoResources.ExternalSecret,
      fakeExternalSecret({ namespace: ns, name: 'es-fresh', store: STORE }, ['fresh']),
    );
    await eventually(
      'the store change reaches its Secret',
      async () =>
        (await secretText(client, ns, 'es-rotating'))['rotating'] === 'r-2' ? true : undefined,
      RECOVERY_MS,
    );
    await eventually(
      'the deleted managed Secret is recreated',
      async () => ((await getSecret(client, ns, 'es-steady')) ? true : undefined),
      RECOVERY_MS,
    );
    assert.deepEqual(await secretText(client, ns, 'es-steady'), { steady: 's-1' });
    await eventually(
      'the ExternalSecret created after the restart syncs',
      async () =>
        (await secretText(client, ns, 'es-fresh'))['fresh'] === 'f-1' ? true : undefined,
      RECOVERY_MS,
    );
    await eventually(
      '/readyz recovers',
      async () => ((await readyz()) === 200 ? true : undefined),
      RECOVERY_MS,
    );
    assert.equal(op.exited, false, `the operator exited:\n${op.output()}`);
    assert.equal(op.child.pid, pid);
    assert.doesNotMatch(op.output(), /shutting down/);
  });

  it('still shuts down cleanly', async () => {
    assert.equal(await operator?.stop(), 0);
    operator = undefined;
  });
});
