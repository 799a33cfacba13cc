import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProcessSupervisor } from './supervisor.ts';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('process supervisor', () => {
  it('restarts the child with the new environment on change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-sup-'));
    const out = join(dir, 'out');
    let value = 'one';
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, process.env.VALUE); setInterval(() => {}, 1000)`;
    const sup = new ProcessSupervisor({
      command: process.execPath,
      args: ['-e', script],
      env: () => ({ ...process.env, VALUE: value }),
      onChange: 'restart',
      log: () => undefined,
    });
    sup.start();
    await eventually(async () => ((await readFile(out, 'utf8')) === 'one' ? true : undefined));
    const firstPid = sup.pid;
    value = 'two';
    await sup.changed();
    await eventually(async () => ((await readFile(out, 'utf8')) === 'two' ? true : undefined));
    assert.notEqual(sup.pid, firstPid);
    await sup.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the exit code when the child exits on its own', async () => {
    const sup = new ProcessSupervisor({
      command: process.execPath,
      args: ['-e', 'process.exit(7)'],
      env: () => ({ ...process.env }),
      onChange: 'restart',
      log: () => undefined,
    });
    sup.start();
    assert.equal(await sup.exited, 7);
  });

  it('reports 127 when the command does not exist', async () => {
    const sup = new ProcessSupervisor({
      command: '/nonexistent/ferry-test-command',
      args: [],
      env: () => ({}),
      onChange: 'restart',
      log: () => undefined,
    });
    sup.start();
    assert.equal(await sup.exited, 127);
  });
});
