/**
 * A KubeClient that counts calls by verb before delegating, so tests (and benchmarks) can assert
 * things like "an unchanged refresh made 0 writes". `onCall` is a hook for anything finer.
 */
import type { KubeClient } from './client.ts';
import { InterceptingKubeClient, KubeVerbs, type KubeCall, type KubeVerb } from './intercepting.ts';

export { KubeVerbs, type KubeCall, type KubeVerb };

const WRITE_VERBS: ReadonlySet<KubeVerb> = new Set([
  'create',
  'update',
  'updateStatus',
  'apply',
  'mergePatch',
  'delete',
]);

export class CountingKubeClient extends InterceptingKubeClient {
  readonly calls: KubeCall[] = [];

  constructor(
    inner: KubeClient,
    private readonly onCall?: (call: KubeCall) => void,
  ) {
    super(inner);
  }

  /** Calls of one verb, optionally only for one kind. */
  count(verb: KubeVerb, kind?: string): number {
    return this.calls.filter((c) => c.verb === verb && (kind === undefined || c.kind === kind))
      .length;
  }

  /** Mutating calls (create/update/updateStatus/apply/mergePatch/delete), optionally for one kind. */
  writes(kind?: string): number {
    return this.calls.filter(
      (c) => WRITE_VERBS.has(c.verb) && (kind === undefined || c.kind === kind),
    ).length;
  }

  /** Calls per verb, every verb present (zeros included). */
  byVerb(): Record<KubeVerb, number> {
    const out = Object.fromEntries(KubeVerbs.map((v) => [v, 0])) as Record<KubeVerb, number>;
    for (const call of this.calls) out[call.verb] += 1;
    return out;
  }

  reset(): void {
    this.calls.length = 0;
  }

  protected intercept<T>(call: KubeCall, send: () => Promise<T>): Promise<T> {
    this.calls.push(call);
    this.onCall?.(call);
    return send();
  }
}
