import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { silentLogger } from '../telemetry/logger.ts';
import type { KubeClient, ListResult, WatchHandlers, WatchOptions } from './client.ts';
import { Informer, type RestartReason } from './informer.ts';
import { Resources, type KubeObject } from './types.ts';

/** A scripted API: `items` is what LIST returns; each WATCH is captured for the test to drive. */
class ScriptedApi {
  items: KubeObject[] = [];
  listRv = '10';
  lists = 0;
  watches: { options: WatchOptions; handlers: WatchHandlers<KubeObject>; stopped: boolean }[] = [];

  client(): KubeClient {
    return {
      list: <T extends KubeObject>(): Promise<ListResult<T>> => {
        this.lists += 1;
        return Promise.resolve({
          items: structuredClone(this.items) as T[],
          resourceVersion: this.listRv,
        });
      },
      watch: <T extends KubeObject>(
        _type: unknown,
        options: WatchOptions,
        handlers: WatchHandlers<T>,
      ) => {
        const w = {
          options,
          handlers: handlers as unknown as WatchHandlers<KubeObject>,
          stopped: false,
        };
        this.watches.push(w);
        return Promise.resolve({ stop: () => void (w.stopped = true) });
      },
    } as unknown as KubeClient;
  }

  get current(): (typeof this.watches)[number] {
    return this.watches.at(-1)!;
  }
}

const obj = (name: string, rv: string): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});
const flush = (): Promise<void> => new Promise(setImmediate);

function setup(options: { idleTimeoutMs?: number; relistIntervalMs?: number } = {}) {
  const api = new ScriptedApi();
  const clock = new FakeClock();
  const events: string[] = [];
  const restarts: RestartReason[] = [];
  const informer = new Informer<KubeObject>({
    client: api.client(),
    type: Resources.Secret,
    clock,
    logger: silentLogger(),
    random: () => 0.5,
    onRestart: (r) => restarts.push(r),
    ...options,
  });
  informer.on((e) => events.push(`${e.type}:${e.object.metadata.name ?? ''}`));
  return { api, clock, events, restarts, informer };
}

describe('Informer (scripted API)', () => {
  it('watches from the LIST resourceVersion and resumes from the last event after a close', async () => {
    const { api, events, informer } = setup();
    api.items = [obj('a', '5')];
    informer.start();
    await flush();
    assert.deepEqual(events, ['added:a']);
    assert.equal(api.current.options.resourceVersion, '10');
    assert.equal(api.current.options.allowWatchBookmarks, true);
    api.current.handlers.onEvent({ type: 'MODIFIED', object: obj('a', '11') });
    api.current.handlers.onEvent({ type: 'BOOKMARK', object: obj('', '15') });
    api.current.handlers.onClose();
    await flush();
    assert.equal(api.watches.length, 2);
    assert.equal(api.current.options.resourceVersion, '15', 'bookmark advanced the resume point');
    assert.equal(api.lists, 1, 'a normal close does not relist');
    assert.deepEqual(events, ['added:a', 'updated:a']);
    await informer.stop();
  });

  it('relists on 410 Gone and emits only the differences', async () => {
    const { api, events, informer, restarts } = setup();
    api.items = [obj('a', '5'), obj('b', '6')];
    informer.start();
    await flush();
    api.items = [obj('a', '5'), obj('c', '20')];
    api.listRv = '21';
    api.current.handlers.onEvent({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' } as unknown as KubeObject,
    });
    await flush();
    await flush();
    assert.deepEqual(restarts, ['gone']);
    assert.equal(api.lists, 2);
    assert.deepEqual(events, ['added:a', 'added:b', 'added:c', 'deleted:b']);
    assert.equal(api.current.options.resourceVersion, '21');
    await informer.stop();
  });

  it('restarts a silent watch after the idle timeout, with backoff after failures', async () => {
    const { api, clock, informer, restarts } = setup({ idleTimeoutMs: 5000 });
    informer.start();
    await flush();
    clock.advance(4999);
    await flush();
    assert.equal(api.watches.length, 1);
    clock.advance(1);
    await flush();
    assert.deepEqual(restarts, ['idle']);
    assert.equal(api.watches[0]!.stopped, true, 'the stalled stream is closed');
    clock.advance(500); // backoff: the idle watch saw no events
    await flush();
    assert.equal(api.watches.length, 2);
    api.current.handlers.onClose(new Error('connection reset'));
    await flush();
    assert.equal(api.watches.length, 2, 'waits out the backoff');
    clock.advance(1000);
    await flush();
    assert.equal(api.watches.length, 3);
    await informer.stop();
  });

  it('relists on schedule', async () => {
    const { api, clock, informer, restarts } = setup({ relistIntervalMs: 60_000 });
    informer.start();
    await flush();
    clock.advance(60_000);
    await flush();
    await flush();
    assert.deepEqual(restarts, ['relist']);
    assert.equal(api.lists, 2);
    await informer.stop();
  });
});
