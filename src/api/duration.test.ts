import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DurationError,
  formatGoDurationNs,
  isGoDuration,
  parseGoDuration,
  parseGoDurationNs,
} from './duration.ts';

// Vectors produced by Go 1.26's time.ParseDuration and Duration.String.
const parseCases: readonly { in: string; ns?: string; str?: string; err?: string }[] = [
  { in: '1h', ns: '3600000000000', str: '1h0m0s' },
  { in: '1h30m', ns: '5400000000000', str: '1h30m0s' },
  { in: '0', ns: '0', str: '0s' },
  { in: '-0', ns: '0', str: '0s' },
  { in: '+0', ns: '0', str: '0s' },
  { in: '10s', ns: '10000000000', str: '10s' },
  { in: '1.5h', ns: '5400000000000', str: '1h30m0s' },
  { in: '', err: 'time: invalid duration ""' },
  { in: '1', err: 'time: missing unit in duration "1"' },
  { in: '1x', err: 'time: unknown unit "x" in duration "1x"' },
  { in: '-1.5h', ns: '-5400000000000', str: '-1h30m0s' },
  { in: '.5s', ns: '500000000', str: '500ms' },
  { in: '5.s', ns: '5000000000', str: '5s' },
  { in: '.s', err: 'time: invalid duration ".s"' },
  { in: '-.s', err: 'time: invalid duration "-.s"' },
  { in: '300ms', ns: '300000000', str: '300ms' },
  { in: '2h45m', ns: '9900000000000', str: '2h45m0s' },
  { in: '1\u00b5s', ns: '1000', str: '1\u00b5s' },
  { in: '1\u03bcs', ns: '1000', str: '1\u00b5s' },
  { in: '1us', ns: '1000', str: '1\u00b5s' },
  { in: '1ns', ns: '1', str: '1ns' },
  { in: '9223372036854775807ns', ns: '9223372036854775807', str: '2562047h47m16.854775807s' },
  { in: '9223372036854775808ns', err: 'time: invalid duration "9223372036854775808ns"' },
  { in: '-9223372036854775808ns', ns: '-9223372036854775808', str: '-2562047h47m16.854775808s' },
  { in: '2562047h47m16.854775807s', ns: '9223372036854775807', str: '2562047h47m16.854775807s' },
  { in: '2562047h47m16.854775808s', err: 'time: invalid duration "2562047h47m16.854775808s"' },
  { in: '0.3333333333333333333h', ns: '1200000000000', str: '20m0s' },
  { in: '1h0m0s', ns: '3600000000000', str: '1h0m0s' },
  { in: '1e3s', err: 'time: unknown unit "e" in duration "1e3s"' },
  { in: '1h 30m', err: 'time: unknown unit "h " in duration "1h 30m"' },
  { in: '3\u0000s', err: 'time: unknown unit "\\x00s" in duration "3\\x00s"' },
  { in: '1.0000000000000000000000001s', ns: '1000000000', str: '1s' },
  { in: '100000000000000000000s', err: 'time: invalid duration "100000000000000000000s"' },
  { in: '1s2', err: 'time: missing unit in duration "1s2"' },
  { in: 's', err: 'time: invalid duration "s"' },
  { in: '-', err: 'time: invalid duration "-"' },
  { in: '+', err: 'time: invalid duration "+"' },
  { in: '1.5m30.25s', ns: '120250000000', str: '2m0.25s' },
];

const formatCases: readonly [bigint, string][] = [
  [1n, '1ns'],
  [999n, '999ns'],
  [1000n, '1\u00b5s'],
  [1500n, '1.5\u00b5s'],
  [1000000n, '1ms'],
  [1234567n, '1.234567ms'],
  [999999999n, '999.999999ms'],
  [1000000000n, '1s'],
  [61000000000n, '1m1s'],
  [3600000000000n, '1h0m0s'],
  [5400000000000n, '1h30m0s'],
  [90061001000000n, '25h1m1.001s'],
  [-1500000000n, '-1.5s'],
];

void describe('parseGoDuration', () => {
  for (const c of parseCases) {
    void it(`matches Go for ${JSON.stringify(c.in)}`, () => {
      if (c.err !== undefined) {
        assert.throws(
          () => parseGoDurationNs(c.in),
          (e: unknown) => e instanceof DurationError && e.message === c.err,
        );
        assert.equal(isGoDuration(c.in), false);
      } else {
        const ns = parseGoDurationNs(c.in);
        assert.equal(ns.toString(), c.ns);
        assert.equal(formatGoDurationNs(ns), c.str);
      }
    });
  }

  void it('returns milliseconds', () => {
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('10s'), 10_000);
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('1500us'), 1.5);
  });
});

void describe('formatGoDurationNs', () => {
  for (const [ns, want] of formatCases) {
    void it(`formats ${ns}ns as ${want}`, () => {
      assert.equal(formatGoDurationNs(ns), want);
    });
  }
});
