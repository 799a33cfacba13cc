import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { NoSecretError, ProviderError } from '../providers/provider.ts';
import { Coalescer, readKey } from './coalescer.ts';
import { redactorFor } from './redact.ts';

describe('Coalescer', () => {
  it('concurrent identical reads share one call', async () => {
    const c = new Coalescer();
    let calls = 0;
    const read = async (): Promise<number> => {
      calls++;
      await Promise.resolve();
      return 42;
    };
    const results = await Promise.all([c.run('k', read), c.run('k', read), c.run('other', read)]);
    assert.deepEqual(results, [42, 42, 42]);
    assert.equal(calls, 2);
    assert.equal(c.size, 0, 'without a ttl settled reads are not kept');
  });
  it('settled results are reused within the ttl and read again after it', async () => {
    let now = 0;
    const c = new Coalescer({ ttlMs: 1000, now: () => now });
    let calls = 0;
    const read = (): Promise<number> => Promise.resolve(++calls);
    assert.equal(await c.run('k', read), 1);
    now = 999;
    assert.equal(await c.run('k', read), 1);
    now = 1000;
    assert.equal(await c.run('k', read), 2);
  });
  it('a long-lived instance drops aged-out results instead of keeping every value', async () => {
    let now = 0;
    const c = new Coalescer({ ttlMs: 1000, now: () => now });
    for (let i = 0; i < 50; i++) await c.run(`k${String(i)}`, () => Promise.resolve(i));
    assert.equal(c.size, 50);
    now = 1500;
    await c.run('fresh', () => Promise.resolve(0));
    assert.equal(c.size, 1, 'only the read of this window is held');
  });
  it('read keys ignore field order and undefined fields', () => {
    assert.equal(
      readKey({ op: 'v', store: 's', ref: { key: 'a', version: undefined, property: 'p' } }),
      readKey({ op: 'v', store: 's', ref: { property: 'p', key: 'a' } }),
    );
  });
});

describe('Coalescer: a caller that accepts older reads (refresh read sharing, ADR 0015)', () => {
  const TTL = 1000;
  const WINDOW = 6000;
  /** A coalescer on a manual clock, and a read that counts its calls and returns v<call>. */
  const setup = () => {
    const clock = { now: 0 };
    const c = new Coalescer({ ttlMs: TTL, now: () => clock.now });
    let calls = 0;
    const read = (): Promise<string> => Promise.resolve(`v${String(++calls)}`);
    return { c, clock, read, calls: () => calls };
  };
  const periodic = { maxAgeMs: WINDOW };

  it("shares a settled read within the caller's window, not beyond it", async () => {
    const { c, clock, read, calls } = setup();
    assert.equal(await c.run('k', read, periodic), 'v1');
    clock.now = WINDOW - 1;
    assert.equal(await c.run('k', read, periodic), 'v1', 'within the window: shared');
    assert.equal(calls(), 1);
    clock.now = WINDOW;
    assert.equal(await c.run('k', read, periodic), 'v2', 'at the window: read again');
    assert.equal(calls(), 2);
  });

  it('a caller without a window (not periodic) reads fresh after the TTL and refreshes the entry', async () => {
    const { c, clock, read, calls } = setup();
    await c.run('k', read, periodic);
    clock.now = TTL - 1;
    assert.equal(await c.run('k', read), 'v1', 'the burst window is shared as before');
    clock.now = TTL;
    assert.equal(await c.run('k', read), 'v2', 'older than the TTL: read fresh');
    clock.now = WINDOW + TTL - 1;
    assert.equal(await c.run('k', read, periodic), 'v2', 'periodic callers now get the new read');
    assert.equal(calls(), 2);
  });

  it('a read made without a window is kept for a later caller that has one', async () => {
    const { c, clock, read, calls } = setup();
    await c.run('k', read, periodic); // the key's window is now known
    clock.now = TTL;
    await c.run('k', read); // a create reads fresh: v2, kept for the key's window
    clock.now = TTL + WINDOW - 1;
    assert.equal(await c.run('k', read, periodic), 'v2');
    assert.equal(calls(), 2);
  });

  for (const [name, error] of [
    ['a provider error', new ProviderError('store unavailable')],
    ['NoSecret', new NoSecretError('Secret does not exist')],
  ] as const)
    it(`${name} is never shared across the window: the next caller reads again`, async () => {
      const { c, clock } = setup();
      let calls = 0;
      const failing = (): Promise<string> => {
        calls++;
        return Promise.reject(error);
      };
      await assert.rejects(c.run('k', failing, periodic), error);
      clock.now = 1;
      await assert.rejects(c.run('k', failing, periodic), error);
      assert.equal(calls, 2);
      assert.equal(c.size, 0);
    });

  it('drops each value once no caller would take it (expiry sweep)', async () => {
    const { c, clock, read } = setup();
    for (let i = 0; i < 20; i++) await c.run(`long-${String(i)}`, read, periodic);
    for (let i = 0; i < 20; i++) await c.run(`short-${String(i)}`, read);
    clock.now = TTL + 1;
    await c.run('other', read);
    assert.equal(c.size, 21, 'reads without a window go after the TTL, the others stay');
    clock.now = WINDOW + 1;
    await c.run('other', read);
    assert.equal(c.size, 1, 'only the latest read is held');
  });

  it('never shows a held value in its inspection or in an error', async () => {
    const canary = 'canary-7f3a-shared-value';
    const { c, clock } = setup();
    await c.run('k', () => Promise.resolve(canary), periodic);
    for (const text of [inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c)])
      assert.ok(!text.includes(canary), text);
    clock.now = WINDOW;
    const failing = () => Promise.reject(new ProviderError('store unavailable reading k'));
    const error = await c.run('k', failing, periodic).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.ok(!inspect(error).includes(canary));
  });
});

describe('redaction', () => {
  const redact = redactorFor([new TextEncoder().encode('hunter2-pw'), 'line"one\nline two', 'ab']);
  const cases: { name: string; input: string; want: string }[] = [
    {
      name: 'masks a raw value',
      input: 'bad value hunter2-pw here',
      want: 'bad value [redacted] here',
    },
    {
      name: 'masks a Go-quoted value',
      input: 'parsing "line\\"one\\nline two": invalid',
      want: 'parsing "[redacted]": invalid',
    },
    { name: 'leaves very short values alone', input: 'ab cd', want: 'ab cd' },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.equal(redact(c.input), c.want);
    });
});
