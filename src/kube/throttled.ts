/**
 * Client-side rate limiting of API requests (`--client-qps` / `--client-burst`), as client-go's
 * token-bucket limiter does for ESO: requests beyond the burst wait for a token instead of
 * failing, so a resync storm spreads out rather than tripping the API server's priority and
 * fairness limits. Watches hold one long request each and are not counted after they start.
 */
import type { KubeClient } from './client.ts';
import { InterceptingKubeClient, type KubeCall } from './intercepting.ts';

export interface ThrottleOptions {
  /** Sustained requests per second; 0 or less disables throttling. */
  qps: number;
  /** Requests allowed at once before the sustained rate applies. */
  burst: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class ThrottledKubeClient extends InterceptingKubeClient {
  private tokens: number;
  private last: number;
  /** Requests wait in order: each takes its token when the one before has taken its own. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    inner: KubeClient,
    private readonly options: ThrottleOptions,
  ) {
    super(inner);
    this.tokens = Math.max(1, options.burst);
    this.last = options.now();
  }

  protected intercept<T>(_call: KubeCall, send: () => Promise<T>): Promise<T> {
    if (this.options.qps <= 0) return send();
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn.then(send);
  }

  private async take(): Promise<void> {
    const { qps, burst, now, sleep } = this.options;
    const refill = () => {
      const t = now();
      this.tokens = Math.min(Math.max(1, burst), this.tokens + ((t - this.last) / 1000) * qps);
      this.last = t;
    };
    refill();
    if (this.tokens < 1) {
      await sleep(((1 - this.tokens) / qps) * 1000);
      refill();
    }
    this.tokens -= 1;
  }
}
