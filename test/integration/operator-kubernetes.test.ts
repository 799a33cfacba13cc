/**
 * `ferry operator` as a process syncing an ExternalSecret from a `kubernetes` SecretStore: the
 * store validates Ready through the access reviews, the target Secret gets the remote values
 * (property and extract), a change in the remote Secret arrives on the next refresh, and no
 * value appears in the operator's output.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { eventually, uniqueName } from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';
import {
  admin,
  decoded,
  getSecret,
  putSecret,
  remoteFixture,
  tokenStore,
  type RemoteFixture,
  type SecretWire,
} from './kubernetes-support.ts';

interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
type WithStatus = KubeObject & { status?: { conditions?: Cond[] } };

const canary = `canary-${uniqueName('k8s')}`;
const klass = uniqueName('k8s-provider');

describe('ferry operator with a kubernetes SecretStore', () => {
  let fx: RemoteFixture;
  let operator: OperatorProcess;
  const storeName = 'other-namespace';

  before(async () => {
    await applyCrds(admin);
    fx = await remoteFixture(['get', 'list']);
    await putSecret(fx.remote, 'db', { data: { username: 'app', password: canary } });
    const store = tokenStore(fx);
    await admin.create(EsoResources.SecretStore, {
      apiVersion: store.apiVersion,
      kind: store.kind,
      metadata: { name: storeName, namespace: fx.apps },
      spec: { ...store.spec, controller: klass },
    } as KubeObject);
    await admin.create(EsoResources.ExternalSecret, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: fx.apps },
      spec: {
        refreshInterval: '2s',
        secretStoreRef: { name: storeName, kind: 'SecretStore' },
        target: { name: 'db-copy' },
        data: [{ secretKey: 'pw', remoteRef: { key: 'db', property: 'password' } }],
        dataFrom: [{ extract: { key: 'db' } }],
      },
    } as KubeObject);
    operator = await startOperator({
      args: [`--namespace=${fx.apps}`, `--controller-class=${klass}`],
    });
  });

  after(async () => {
    await operator.stop();
    await fx.cleanup();
  });

  it('validates the store Ready with the access reviews', async () => {
    const ready = await eventually('store Ready', async () => {
      const store = await admin.get<WithStatus>(EsoResources.SecretStore, {
        namespace: fx.apps,
        name: storeName,
      });
      const cond = store?.status?.conditions?.find((c) => c.type === 'Ready');
      return cond?.status === 'True' ? cond : undefined;
    });
    assert.equal(ready.reason, 'Valid');
  });

  it('syncs the remote Secret into the target', async () => {
    const target = await eventually('target Secret', () => getSecret(fx.apps, 'db-copy'), 60_000);
    assert.deepEqual(decoded(target), { pw: canary, username: 'app', password: canary });
  });

  it('a change of the remote Secret arrives on the next refresh', async () => {
    await admin.update<SecretWire>(Resources.Secret, {
      metadata: { name: 'db', namespace: fx.remote },
      data: {
        username: Buffer.from('app').toString('base64'),
        password: Buffer.from(`${canary}-2`).toString('base64'),
      },
    });
    await eventually('rotated value', async () =>
      decoded(await getSecret(fx.apps, 'db-copy')).pw === `${canary}-2` ? true : undefined,
    );
  });

  it('never prints a value', () => {
    assert.ok(!operator.output().includes(canary), 'a remote value reached the operator output');
  });
});
