/**
 * eso.md §9 items 20 and 21 as tables, against `ferry operator` as a real process and the real
 * API server, with ESO's `fake` provider: which namespaces a ClusterSecretStore serves
 * (`spec.conditions`), and which stores this controller class owns (plus the flood gate).
 * Items 10 and 15 (NoSecretError, deletion and the finalizer) are in operator-deletion.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { Resources } from '../../src/kube/types.ts';
import { eventually, uniqueName } from '../support/kube.ts';
import {
  holds,
  newCanary,
  startHarness,
  waitSecret,
  type EsObj,
  type EventObj,
  type Harness,
} from './operator-behaviours-support.ts';

let h: Harness;
const C = newCanary();
const QUIET_MS = 4_000;
const SYNCED = { status: 'True', reason: 'SecretSynced', message: 'secret synced' } as const;
const NS_LABEL = 'behaviours.ferry.dev/team';

interface ConditionRow {
  name: string;
  title: string;
  /** `spec.conditions`, given the test namespace. */
  conditions: (ns: string) => unknown[];
  allowed: boolean;
}

const CONDITION_ROWS: ConditionRow[] = [
  {
    name: 'none',
    title: 'no conditions',
    conditions: () => [],
    allowed: true,
  },
  {
    name: 'by-name',
    title: 'namespaces lists the namespace',
    conditions: (ns) => [{ namespaces: [ns] }],
    allowed: true,
  },
  {
    name: 'other-name',
    title: 'namespaces lists only another namespace',
    conditions: () => [{ namespaces: ['somewhere-else'] }],
    allowed: false,
  },
  {
    name: 'regex-unanchored',
    title: 'namespaceRegexes match unanchored',
    conditions: (ns) => [{ namespaceRegexes: [ns.slice(3, 12)] }],
    allowed: true,
  },
  {
    name: 'regex-miss',
    title: 'namespaceRegexes that match nothing',
    conditions: () => [{ namespaceRegexes: ['^nothing-matches$'] }],
    allowed: false,
  },
  {
    name: 'selector',
    title: 'namespaceSelector matches the namespace labels',
    conditions: () => [
      {
        namespaceSelector: {
          matchExpressions: [{ key: NS_LABEL, operator: 'In', values: ['blue'] }],
        },
      },
    ],
    allowed: true,
  },
  {
    name: 'selector-miss',
    title: 'namespaceSelector that does not match',
    conditions: () => [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'red' } } }],
    allowed: false,
  },
  {
    name: 'within-or',
    title: 'within one condition, any of selector, names or regexes may match',
    conditions: (ns) => [
      { namespaceSelector: { matchLabels: { [NS_LABEL]: 'red' } }, namespaces: [ns] },
    ],
    allowed: true,
  },
  {
    name: 'across-or',
    title: 'conditions are ORed',
    conditions: (ns) => [{ namespaces: ['somewhere-else'] }, { namespaceRegexes: [`^${ns}$`] }],
    allowed: true,
  },
];

before(async () => {
  h = await startHarness('behaviours-stores', C);
  await h.client.mergePatch(
    Resources.Namespace,
    { name: h.ns },
    {
      metadata: { labels: { [NS_LABEL]: 'blue' } },
    },
  );
});

after(async () => {
  await h.assertNoCanary();
  await h.stop();
});

describe('§9.20 ClusterSecretStore conditions', { concurrency: true }, () => {
  for (const row of CONDITION_ROWS)
    it(`${row.title}: ${row.allowed ? 'allowed' : 'denied'}`, async () => {
      const store = uniqueName(`css-${row.name}`);
      await h.createStore(store, [{ key: 'k', value: `${C}${row.name}` }], {
        kind: 'ClusterSecretStore',
        conditions: row.conditions(h.ns),
      });
      const name = `css-${row.name}`;
      await h.createExternalSecret(name, {
        secretStoreRef: { name: store, kind: 'ClusterSecretStore' },
        data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
      });
      if (row.allowed) {
        await h.waitReady(name, SYNCED);
        await waitSecret(h, name, { data: { k: `${C}${row.name}` } });
        return;
      }
      await h.waitReady(name, {
        status: 'False',
        reason: 'SecretSyncedError',
        message: 'could not get secret data from provider',
      });
      const event = await h.waitEvent(name, 'UpdateFailed');
      assert.equal(
        event.message,
        `error processing spec.data[0] (key: k), err: using cluster store "${store}" is not allowed from namespace "${h.ns}": denied by spec.condition`,
      );
      assert.equal(await h.secret(name), undefined);
    });
});

describe('§9.21 controller class and the flood gate', { concurrency: true }, () => {
  it('a store of another controller class is ignored, and so is any ExternalSecret naming it', async () => {
    const name = 'other-class';
    await h.createStore(name, [{ key: 'k', value: `${C}x` }], {
      controller: 'someone-else',
      waitReady: false,
    });
    await h.createExternalSecret(name, {
      secretStoreRef: { name, kind: 'SecretStore' },
      data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
    });
    // One sourceRef naming a store of another class is enough to skip the whole ExternalSecret.
    await h.createStore('mixed-ours', [{ key: 'k', value: `${C}m` }]);
    await h.createExternalSecret('mixed-class', {
      secretStoreRef: { name: 'mixed-ours', kind: 'SecretStore' },
      data: [
        { secretKey: 'k', remoteRef: { key: 'k' } },
        {
          secretKey: 'x',
          remoteRef: { key: 'k' },
          sourceRef: { storeRef: { name, kind: 'SecretStore' } },
        },
      ],
    });
    await holds(
      'nothing written',
      async () => {
        const store = await h.client.get<EsObj>(EsoResources.SecretStore, {
          namespace: h.ns,
          name,
        });
        const untouched = async (es: string) =>
          (await h.externalSecret(es))?.status === undefined && !(await h.secret(es));
        return (
          store?.status === undefined && (await untouched(name)) && (await untouched('mixed-class'))
        );
      },
      QUIET_MS,
    );
  });

  it('a store that fails validation blocks its ExternalSecrets', async () => {
    const name = 'invalid-store';
    await h.createStore(name, [{ key: 'k', value: `${C}x` }], {
      waitReady: false,
      validationResult: 2,
    });
    await h.createExternalSecret(name, {
      secretStoreRef: { name, kind: 'SecretStore' },
      data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
    });
    await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    const store = await h.client.get<EsObj>(EsoResources.SecretStore, { namespace: h.ns, name });
    const ready = store?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready.reason, 'InvalidProviderConfig');
    assert.equal(ready.message, 'unable to validate store');
    const event = await h.waitEvent(name, 'UpdateFailed');
    assert.equal(
      event.message,
      'error processing spec.data[0] (key: k), err: SecretStore "invalid-store" is not ready',
    );
    assert.equal(await h.secret(name), undefined);
  });

  it('a valid store: Ready Valid, capabilities, a Normal Valid event', async () => {
    const name = 'valid-store';
    await h.createStore(name, [{ key: 'k', value: `${C}v` }]);
    const store = await h.client.get<EsObj & { status?: { capabilities?: string } }>(
      EsoResources.SecretStore,
      { namespace: h.ns, name },
    );
    const ready = store?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.reason, ready?.message], ['Valid', 'store validated']);
    assert.equal(store?.status?.capabilities, 'ReadWrite');
    await eventually('Valid event', async () => {
      const events = await h.client.list<EventObj>(Resources.Event, { namespace: h.ns });
      return events.items.find(
        (e) =>
          e.involvedObject?.kind === 'SecretStore' &&
          e.involvedObject.name === name &&
          e.reason === 'Valid' &&
          e.type === 'Normal' &&
          e.message === 'store validated' &&
          e.source?.component === 'secret-store',
      );
    });
  });

  it('a missing store: SecretSyncedError naming it like the API does', async () => {
    const name = 'missing-store';
    await h.createExternalSecret(name, {
      secretStoreRef: { name: 'no-such-store', kind: 'SecretStore' },
      data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
    });
    await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    const event = await h.waitEvent(name, 'UpdateFailed');
    assert.equal(
      event.message,
      'error processing spec.data[0] (key: k), err: could not get SecretStore "no-such-store", secretstores.external-secrets.io "no-such-store" not found',
    );
  });

  it('ValidationUnknown counts as Ready', async () => {
    const name = 'unknown-store';
    await h.createStore(name, [{ key: 'k', value: `${C}u` }], {
      waitReady: false,
      validationResult: 1,
    });
    await h.createExternalSecret(name, {
      secretStoreRef: { name, kind: 'SecretStore' },
      data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
    });
    await waitSecret(h, name, { data: { k: `${C}u` } });
    const store = await h.client.get<EsObj>(EsoResources.SecretStore, { namespace: h.ns, name });
    const ready = store?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready.reason, 'ValidationUnknown');
  });
});
