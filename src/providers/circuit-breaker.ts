/**
 * A per-store circuit breaker at the provider seam (perf-reliability goal 8, ADR 0014). Each
 * ExternalSecret backs off on its own, so a thousand of them on one dead Vault still call it a
 * thousand times per backoff step; the breaker makes a dead or throttling store cost one request
 * per open period instead. It counts consecutive store-level failures (connection failures,
 * timeouts, 5xx, 429) per store; after `threshold` of them the circuit opens and calls fail fast
 * with no request, until one probe call is let through. Key-level answers (404, 403 on a path, a
 * missing property) prove the store is up and close it again, as does a successful call.
 */
import type { AnySecretStore, FindSpec, PushSecretData, RemoteRef } from '../api/types.ts';
import {
  NoSecretError,
  ProviderError,
  type Clock,
  type Provider,
  type PushSource,
  type SecretsClient,
  type ValidationResult,
} from './provider.ts';

/** Which store a circuit belongs to: the labels of its metrics. */
export interface StoreRef {
  kind: string;
  /** '' for a ClusterSecretStore. */
  namespace: string;
  name: string;
}

/** What a finished call says about the store's health. */
export type CallOutcome = 'storeFailure' | 'answered' | 'neutral';

/**
 * How a call passes the breaker:
 * - `call`: a read or write; fails fast while open, and only one of them probes when half-open.
 * - `connect`: opening a client; fails fast while open, but is no probe (it may send nothing,
 *   e.g. with a static token) so its success says nothing; its store-level failures count.
 * - `healthCheck`: the store controller's validation, once per store per requeue interval; never
 *   fails fast (a fast-failed validation would keep the store NotReady for a whole interval after
 *   it heals) and its outcome counts like a call's.
 */
export type CallMode = 'call' | 'connect' | 'healthCheck';

export interface StoreCircuitBreakerOptions {
  clock: Clock;
  /** Consecutive store-level failures that open the circuit. */
  threshold: number;
  /** How long an open circuit fails calls fast before it lets one probe through. */
  openDurationMs: number;
  /** The circuit of `store` opened (true) or closed (false): ferry_store_circuit_open. */
  onOpenChanged?: (store: StoreRef, open: boolean) => void;
  /** A call failed fast without a request: ferry_store_circuit_fast_failures_total. */
  onFastFail?: (store: StoreRef) => void;
}

/** A call refused because the store's circuit is open; retryable, and the store was not asked. */
export class StoreCircuitOpenError extends ProviderError {
  constructor(message: string) {
    super(message, { retryable: true });
  }
}

/** Store-level failures: the store (or the way to it) is down or throttling, whatever the key. */
export function classifyOutcome(error: unknown): CallOutcome {
  if (error instanceof StoreCircuitOpenError) return 'neutral';
  if (error instanceof NoSecretError) return 'answered';
  // Anything else (a missing auth Secret, a bad spec, a bug) says nothing about the store.
  if (!(error instanceof ProviderError)) return 'neutral';
  const status = error.details.status;
  if (status !== undefined) return status >= 500 || status === 429 ? 'storeFailure' : 'answered';
  return error.details.retryable === true ? 'storeFailure' : 'answered';
}

interface Circuit {
  ref: StoreRef;
  /** The store spec version the count belongs to; a new one starts from zero. */
  version: string;
  failures: number;
  lastFailure: string;
  /** Set while open: calls fail fast until then, after which one probe may go. */
  openUntil: number | undefined;
  probing: boolean;
}

/** One call's view of its store: where its circuit lives and which spec it was made with. */
interface CallSite {
  ref: StoreRef;
  key: string;
  version: string;
}

function callSite(store: AnySecretStore): CallSite {
  const ref = {
    kind: store.kind,
    namespace: store.kind === 'ClusterSecretStore' ? '' : (store.metadata.namespace ?? ''),
    name: store.metadata.name ?? '',
  };
  const generation = store.metadata.generation;
  // metadata.generation, or the spec itself where nothing sets a generation (in-memory stores).
  const version = generation !== undefined ? `g${String(generation)}` : JSON.stringify(store.spec);
  return { ref, key: `${ref.kind}/${ref.namespace}/${ref.name}`, version };
}

function describeStore(ref: StoreRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export class StoreCircuitBreaker {
  /** Only stores with failures have an entry; a success or a spec change removes it. */
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: StoreCircuitBreakerOptions) {}

  /** Runs `call` for `store` unless its circuit is open, and records what the outcome says. */
  async run<T>(store: AnySecretStore, mode: CallMode, call: () => Promise<T>): Promise<T> {
    const site = callSite(store);
    const circuit = this.circuitOf(site);
    const probe = circuit ? this.admit(circuit, mode) : false;
    let result: T;
    try {
      result = await call();
    } catch (e) {
      this.record(site, classifyOutcome(e), probe, e);
      throw e;
    }
    this.record(site, mode === 'connect' ? 'neutral' : 'answered', probe);
    return result;
  }

  /** Whether the circuit of `store` is open now (probe pending or not). */
  isOpen(store: AnySecretStore): boolean {
    return this.circuitOf(callSite(store))?.openUntil !== undefined;
  }

  /** The live circuit of a store, dropping one left from an older spec: a fix closes it at once. */
  private circuitOf(site: CallSite): Circuit | undefined {
    const circuit = this.circuits.get(site.key);
    if (circuit === undefined || circuit.version === site.version) return circuit;
    this.close(site.key, circuit);
    return undefined;
  }

  /** Throws StoreCircuitOpenError when the call may not go; true when it goes as the probe. */
  private admit(circuit: Circuit, mode: CallMode): boolean {
    if (circuit.openUntil === undefined || mode === 'healthCheck') return false;
    const halfOpen = this.options.clock.now() >= circuit.openUntil;
    if (halfOpen && !circuit.probing) {
      if (mode === 'connect') return false;
      circuit.probing = true;
      return true;
    }
    this.options.onFastFail?.(circuit.ref);
    throw new StoreCircuitOpenError(this.openMessage(circuit, halfOpen));
  }

  private openMessage(circuit: Circuit, probing: boolean): string {
    const openUntil = circuit.openUntil ?? 0;
    const wait = Math.max(0, Math.ceil((openUntil - this.options.clock.now()) / 1000));
    const next = probing
      ? 'a probe request is in flight'
      : `next probe in ${String(wait)}s (at ${new Date(openUntil).toISOString()})`;
    return (
      `store circuit open: ${describeStore(circuit.ref)} failed ${String(circuit.failures)} ` +
      `consecutive times (last error: ${circuit.lastFailure}); calls fail fast without a request, ${next}`
    );
  }

  private record(site: CallSite, outcome: CallOutcome, probe: boolean, error?: unknown): void {
    const existing = this.circuits.get(site.key);
    if (existing !== undefined && existing.version !== site.version) return; // an older spec's call
    if (outcome === 'answered') {
      if (existing) this.close(site.key, existing);
    } else if (outcome === 'neutral') {
      if (existing && probe) existing.probing = false; // let the next call probe instead
    } else {
      this.countFailure(site, existing, probe, error);
    }
  }

  private countFailure(
    site: CallSite,
    existing: Circuit | undefined,
    probe: boolean,
    error: unknown,
  ): void {
    const circuit = existing ?? {
      ref: site.ref,
      version: site.version,
      failures: 0,
      lastFailure: '',
      openUntil: undefined,
      probing: false,
    };
    this.circuits.set(site.key, circuit);
    circuit.failures++;
    circuit.lastFailure = error instanceof Error ? error.message : 'unknown error';
    const now = this.options.clock.now();
    if (circuit.openUntil === undefined) {
      if (circuit.failures < this.options.threshold) return;
      this.options.onOpenChanged?.(circuit.ref, true);
    } else {
      // A failed probe re-opens; so does any other failure once half-open with no probe out.
      // A call admitted before the circuit opened does not stretch the open period.
      const reopen = probe || (now >= circuit.openUntil && !circuit.probing);
      if (!reopen) return;
    }
    circuit.openUntil = now + this.options.openDurationMs;
    circuit.probing = false;
  }

  private close(key: string, circuit: Circuit): void {
    this.circuits.delete(key);
    if (circuit.openUntil !== undefined) this.options.onOpenChanged?.(circuit.ref, false);
  }
}

/** The provider of `provider` whose clients pass `breaker`; one wrapper serves every provider. */
export function withCircuitBreaker(provider: Provider, breaker: StoreCircuitBreaker): Provider {
  return {
    key: provider.key,
    capabilities: (store) => provider.capabilities(store),
    validateStore: (store) => provider.validateStore(store),
    async newClient(store, context) {
      const inner = await breaker.run(store, 'connect', () => provider.newClient(store, context));
      return new CircuitBreakingClient(inner, store, breaker);
    },
  };
}

/** A SecretsClient whose calls pass `breaker` for `store`; close() always goes through. */
export class CircuitBreakingClient implements SecretsClient {
  constructor(
    private readonly inner: SecretsClient,
    private readonly store: AnySecretStore,
    private readonly breaker: StoreCircuitBreaker,
  ) {}

  private call<T>(call: () => Promise<T>): Promise<T> {
    return this.breaker.run(this.store, 'call', call);
  }

  getSecret(ref: RemoteRef): Promise<Uint8Array> {
    return this.call(() => this.inner.getSecret(ref));
  }

  getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>> {
    return this.call(() => this.inner.getSecretMap(ref));
  }

  getAllSecrets(find: FindSpec): Promise<Map<string, Uint8Array>> {
    return this.call(() => this.inner.getAllSecrets(find));
  }

  pushSecret(source: PushSource, data: PushSecretData): Promise<void> {
    return this.call(() => this.inner.pushSecret(source, data));
  }

  deleteSecret(ref: PushSecretData['match']['remoteRef']): Promise<void> {
    return this.call(() => this.inner.deleteSecret(ref));
  }

  secretExists(ref: PushSecretData['match']['remoteRef']): Promise<boolean> {
    return this.call(() => this.inner.secretExists(ref));
  }

  validate(): Promise<ValidationResult> {
    return this.breaker.run(this.store, 'healthCheck', () => this.inner.validate());
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
