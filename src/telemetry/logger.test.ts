import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, pinoLevel } from './logger.ts';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('redacts value-bearing fields at any of the first levels', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream, level: 'debug' });
    logger.info(
      {
        data: { k: 'SENTINEL-1' },
        secret: { stringData: { a: 'SENTINEL-2' } },
        obj: { token: 'SENTINEL-3' },
      },
      'synced',
    );
    logger
      .child({ controller: 'externalsecret' })
      .debug({ headers: { authorization: 'Bearer SENTINEL-4' } }, 'request');
    const all = lines.join('');
    assert.doesNotMatch(all, /SENTINEL/);
    assert.match(all, /"controller":"externalsecret"/);
    assert.match(all, /\[REDACTED\]/);
  });

  it("maps ESO's zap levels", () => {
    assert.equal(pinoLevel('dpanic'), 'error');
    assert.equal(pinoLevel('INFO'), 'info');
    assert.equal(pinoLevel('loud'), undefined);
  });
});
