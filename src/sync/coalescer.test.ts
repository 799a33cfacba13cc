import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
