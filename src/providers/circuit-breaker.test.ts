import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import type { AnySecretStore } from '../api/types.ts';
import {
  classifyOutcome,
  StoreCircuitBreaker,
  StoreCircuitOpenError,
  type StoreRef,
} from './circuit-breaker.ts';
import {
  NoSecretError,
  ProviderError,
  StoreConfigError,
  type Provider,
  type ProviderContext,
  type SecretsClient,
} from './provider.ts';
import { ProviderRegistry } from './registry.ts';

const CANARY = 'canary-value-5f1e2d';
const OPEN_MS = 30_000;

function store(generation = 1, name = 'vault'): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name, namespace: 'team-a', generation },
    spec: { provider: { fake: { data: [] } } },
  };
}

const sealed = () =>
  new ProviderError('vault: GET kv/data/app: 503 Vault is sealed', { status: 503 });

/** A provider whose every call answers with `behaviour()`, counting the calls that reached it. */
class ScriptedStore {
  requests = 0;
  behaviour: () => Promise<Uint8Array> = () => Promise.resolve(new TextEncoder().encode(CANARY));

  answer(): Promise<Uint8Array> {
    this.requests++;
    return this.behaviour();
  }

  fail(error: () => Error): void {
    this.behaviour = () => Promise.reject(error());
  }

  succeed(): void {
    this.behaviour = () => Promise.resolve(new TextEncoder().encode(CANARY));
  }

  provider(): Provider {
    const answer = () => this.answer();
    const client: SecretsClient = {
      getSecret: answer,
      getSecretMap: async () => new Map([['k', await answer()]]),
      getAllSecrets: async () => new Map([['k', await answer()]]),
      pushSecret: async () => {
        await answer();
      },
      deleteSecret: async () => {
        await answer();
      },
      secretExists: async () => (await answer()).length > 0,
      validate: async () => ((await answer()).length > 0 ? 'Ready' : 'Error'),
      close: () => Promise.resolve(),
    };
    return {
      key: 'fake',
      capabilities: () => 'ReadWrite',
      validateStore: () => [],
      newClient: () => Promise.resolve(client),
    };
  }
}

interface Rig {
  clock: FakeClock;
  remote: ScriptedStore;
  registry: ProviderRegistry;
  opened: [StoreRef, boolean][];
  fastFails: StoreRef[];
  client(s?: AnySecretStore): Promise<SecretsClient>;
}

function rig(threshold = 5): Rig {
  const clock = new FakeClock();
  const remote = new ScriptedStore();
  const opened: [StoreRef, boolean][] = [];
  const fastFails: StoreRef[] = [];
  const breaker = new StoreCircuitBreaker({
    clock,
    threshold,
    openDurationMs: OPEN_MS,
    onOpenChanged: (ref, open) => opened.push([ref, open]),
    onFastFail: (ref) => fastFails.push(ref),
  });
  const registry = new ProviderRegistry(breaker).register(remote.provider());
  const context = {} as ProviderContext; // the scripted provider reads nothing from it
  return {
    clock,
    remote,
    registry,
    opened,
    fastFails,
    client: (s = store()) => registry.forStore(s).newClient(s, context),
  };
}

/** `n` calls through fresh clients; returns the errors they threw. */
async function calls(r: Rig, n: number, s = store()): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await (await r.client(s)).getSecret({ key: 'app' });
    } catch (e) {
      errors.push(e);
    }
  }
  return errors;
}

async function open(r: Rig): Promise<void> {
  r.remote.fail(sealed);
  await calls(r, 5);
  assert.equal(r.remote.requests, 5);
}

describe('StoreCircuitBreaker', () => {
  it('opens after 5 consecutive store failures: later calls fail fast without a request', async () => {
    const r = rig();
    r.remote.fail(sealed);
    const errors = await calls(r, 4);
    assert.equal(r.remote.requests, 4);
    assert.ok(errors.every((e) => !(e instanceof StoreCircuitOpenError)));
    assert.deepEqual(r.opened, []);
    await calls(r, 1);
    assert.deepEqual(r.opened, [
      [{ kind: 'SecretStore', namespace: 'team-a', name: 'vault' }, true],
    ]);
    const fast = await calls(r, 20);
    assert.equal(r.remote.requests, 5, 'no request while open');
    assert.equal(r.fastFails.length, 20);
    const e = fast[0];
    assert.ok(e instanceof StoreCircuitOpenError);
    assert.equal(e.details.retryable, true);
    assert.match(
      e.message,
      /store circuit open: SecretStore team-a\/vault failed 5 consecutive times/,
    );
    assert.match(e.message, /last error: vault: GET kv\/data\/app: 503 Vault is sealed/);
    const at = new Date(r.clock.now() + OPEN_MS).toISOString();
    assert.ok(e.message.includes(`next probe in 30s (at ${at})`), e.message);
  });

  it('every SecretsClient call passes the breaker', async () => {
    const r = rig();
    const client = await r.client();
    await open(r);
    const c = await r.client().catch((e: unknown) => e);
    assert.ok(c instanceof StoreCircuitOpenError, 'opening a client fails fast too');
    const ref = { key: 'app' };
    const match = { remoteKey: 'app' };
    for (const call of [
      () => client.getSecret(ref),
      () => client.getSecretMap(ref),
      () => client.getAllSecrets({ name: { regexp: '.*' } }),
      () => client.pushSecret({ data: new Map() }, { match: { secretKey: 'k', remoteRef: match } }),
      () => client.deleteSecret(match),
      () => client.secretExists(match),
    ])
      await assert.rejects(call(), StoreCircuitOpenError);
    assert.equal(r.remote.requests, 5);
  });

  it('counts 5xx, 429, timeouts and connection failures; not key-level answers', () => {
    const table: [Error, string][] = [
      [sealed(), 'storeFailure'],
      [
        new ProviderError('vault: GET x: 500 internal', { status: 500, retryable: true }),
        'storeFailure',
      ],
      [new ProviderError('throttled: 429', { status: 429, retryable: true }), 'storeFailure'],
      [
        new ProviderError('vault: GET x: connection failed: ECONNREFUSED', { retryable: true }),
        'storeFailure',
      ],
      [
        new ProviderError('vault: GET x: connection failed: timeout', { retryable: true }),
        'storeFailure',
      ],
      [new NoSecretError(), 'answered'],
      [new ProviderError('vault: GET x: 404', { status: 404 }), 'answered'],
      [new ProviderError('vault: GET x: 403 permission denied', { status: 403 }), 'answered'],
      [new ProviderError('property p does not exist in key k'), 'answered'],
      [new StoreConfigError('invalid server URL'), 'neutral'],
      [new Error('template: unexpected "}"'), 'neutral'],
      [new StoreCircuitOpenError('store circuit open'), 'neutral'],
    ];
    for (const [error, outcome] of table)
      assert.equal(classifyOutcome(error), outcome, error.message);
  });

  it('key-level errors never count, and show the store is up', async () => {
    const r = rig();
    for (const keyLevel of [
      () => new NoSecretError(),
      () => new ProviderError('vault: GET kv/data/x: 403 permission denied', { status: 403 }),
      () => new ProviderError('property p does not exist in key k'),
      () => new Error('template: bad'),
    ]) {
      r.remote.fail(keyLevel);
      await calls(r, 10);
    }
    assert.equal(r.remote.requests, 40);
    r.remote.fail(sealed);
    await calls(r, 4);
    r.remote.fail(() => new NoSecretError());
    await calls(r, 1);
    r.remote.fail(sealed);
    await calls(r, 4);
    assert.equal(r.remote.requests, 49, '4 + answer + 4 store failures: never 5 in a row');
    assert.deepEqual(r.opened, []);
  });

  it('a success resets the count', async () => {
    const r = rig();
    r.remote.fail(sealed);
    await calls(r, 4);
    r.remote.succeed();
    assert.deepEqual(await calls(r, 1), []);
    r.remote.fail(sealed);
    const errors = await calls(r, 4);
    assert.ok(errors.every((e) => !(e instanceof StoreCircuitOpenError)));
    assert.deepEqual(r.opened, []);
  });

  it('half-open: exactly one probe; concurrent callers fail fast; success closes', async () => {
    const r = rig();
    await open(r);
    r.clock.advance(OPEN_MS - 1);
    await calls(r, 3);
    assert.equal(r.remote.requests, 5, 'still open 1 ms before the probe');
    r.clock.advance(1);
    let release: (v: Uint8Array) => void = () => undefined;
    r.remote.behaviour = () => new Promise((resolve) => (release = resolve));
    const clients = await Promise.all([r.client(), r.client(), r.client()]);
    const probe = clients[0].getSecret({ key: 'app' });
    const others = await Promise.allSettled(
      clients.slice(1).map((c) => c.getSecret({ key: 'app' })),
    );
    assert.equal(r.remote.requests, 6, 'exactly one probe request');
    for (const o of others) {
      assert.equal(o.status, 'rejected');
      assert.ok(o.reason instanceof StoreCircuitOpenError);
      assert.match((o.reason as Error).message, /a probe request is in flight/);
    }
    release(new Uint8Array([1]));
    assert.deepEqual(await probe, new Uint8Array([1]));
    assert.deepEqual(r.opened.at(-1)?.[1], false, 'the circuit closed');
    r.remote.succeed();
    assert.deepEqual(await calls(r, 5), []);
    assert.equal(r.remote.requests, 11);
  });

  it('a failed probe re-opens for another period', async () => {
    const r = rig();
    await open(r);
    r.clock.advance(OPEN_MS);
    const probe = await calls(r, 1);
    assert.ok(!(probe[0] instanceof StoreCircuitOpenError), 'the probe reached the store');
    assert.equal(r.remote.requests, 6);
    const fast = await calls(r, 3);
    assert.equal(r.remote.requests, 6);
    assert.match((fast[0] as Error).message, /failed 6 consecutive times.*next probe in 30s/);
    r.clock.advance(OPEN_MS);
    r.remote.succeed();
    assert.deepEqual(await calls(r, 2), []);
    assert.equal(r.remote.requests, 8);
    assert.deepEqual(
      r.opened.map(([, o]) => o),
      [true, false],
    );
  });

  it('a new store generation closes the circuit at once', async () => {
    const r = rig();
    await open(r);
    await calls(r, 2);
    assert.equal(r.remote.requests, 5);
    r.remote.succeed();
    assert.deepEqual(await calls(r, 1, store(2)), [], 'the fixed store is asked at once');
    assert.equal(r.remote.requests, 6);
    assert.deepEqual(
      r.opened.map(([, o]) => o),
      [true, false],
    );
  });

  it('half-open: opening a client is no probe; the first call is', async () => {
    const r = rig();
    await open(r);
    r.clock.advance(OPEN_MS);
    const clients = await Promise.all([r.client(), r.client()]);
    assert.equal(r.remote.requests, 5);
    r.remote.succeed();
    assert.ok(await clients[0].getSecret({ key: 'app' }));
    assert.equal(r.remote.requests, 6);
  });

  it('stores have separate circuits', async () => {
    const r = rig();
    await open(r);
    r.remote.succeed();
    assert.deepEqual(await calls(r, 2, store(1, 'other')), []);
  });

  it('validate (the store health check) never fails fast; its success closes', async () => {
    const r = rig();
    const c = await r.client();
    await open(r);
    r.remote.succeed();
    assert.equal(await c.validate(), 'Ready');
    assert.equal(r.remote.requests, 6);
    assert.deepEqual(await calls(r, 1), [], 'closed after the health check answered');
  });

  it('messages carry no values: only the provider’s own error text', async () => {
    const r = rig();
    const leaky = () =>
      new ProviderError(
        'vault: GET kv/data/app: 503',
        { status: 503 },
        { cause: new Error(CANARY) },
      );
    r.remote.fail(leaky);
    await calls(r, 5);
    const [fast] = await calls(r, 1);
    assert.ok(fast instanceof StoreCircuitOpenError);
    assert.ok(!fast.message.includes(CANARY), fast.message);
    assert.ok(!JSON.stringify([r.opened, r.fastFails]).includes(CANARY));
  });
});
