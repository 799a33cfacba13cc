/**
 * The SecretStore / ClusterSecretStore controller: validates the store and sets its Ready
 * condition with ESO's reasons and fixed messages (eso.md §2.7: Valid, ValidationUnknown,
 * InvalidStoreConfiguration, InvalidProviderConfig; the cause goes into the Warning event only),
 * re-validating every `--store-requeue-interval`.
 * The status is written only when the condition changed.
 */
import type { AnySecretStore, Condition, StoreKind } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type {
  Capabilities,
  Clock,
  Logger,
  ProviderKubeAccess,
  SecretsClient,
} from '../../providers/provider.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { ReconcileRequest, ReconcileResult } from '../../runtime/manager.ts';
import { formatTime } from '../../sync/status.ts';
import { EsoResources } from '../kinds.ts';

export type StoreObject = AnySecretStore & KubeObject;

export interface SecretStoreReconcilerDeps {
  kind: StoreKind;
  client: KubeClient;
  stores: { getByRef(ref: ObjectRef): StoreObject | undefined };
  registry: ProviderRegistry;
  kube: ProviderKubeAccess;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  requeueIntervalMs: number;
  /** `--controller-class`: a store naming another controller in `spec.controller` is skipped. */
  controllerClass?: string;
  /** Called after the Ready condition changed (re-queues the ExternalSecrets using the store). */
  onReadyChanged?: (store: StoreObject) => void;
}

export const StoreReason = {
  Valid: 'Valid',
  ValidationUnknown: 'ValidationUnknown',
  InvalidStore: 'InvalidStoreConfiguration',
  InvalidProviderConfig: 'InvalidProviderConfig',
  ValidationFailed: 'ValidationFailed',
} as const;

interface Verdict {
  ready: boolean;
  reason: string;
  /** The condition message: ESO's fixed text. */
  message: string;
  /** The cause, for the event only (ESO records the error text as a Warning event). */
  detail?: string;
  /** `status.capabilities`, which ESO records once a store validated. */
  capabilities?: Capabilities;
}

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** ESO: a store with no `spec.controller` is everyone's; otherwise only that class's. */
export function isOurs(store: AnySecretStore, controllerClass = 'default'): boolean {
  const wanted = store.spec.controller ?? '';
  return wanted === '' || wanted === controllerClass;
}

export class SecretStoreReconciler {
  constructor(private readonly deps: SecretStoreReconcilerDeps) {}

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const store = this.deps.stores.getByRef(request);
    if (!store || store.metadata.deletionTimestamp) return undefined;
    if (!isOurs(store, this.deps.controllerClass)) return undefined;
    const verdict = await this.validate(store);
    const changed = await this.writeCondition(store, verdict);
    if (changed) {
      await this.deps.recorder.event(
        store,
        verdict.ready ? 'Normal' : 'Warning',
        verdict.reason,
        verdict.detail ?? verdict.message,
      );
      this.deps.onReadyChanged?.(store);
    }
    return { requeueAfter: this.deps.requeueIntervalMs };
  }

  /** ESO's validation ladder: static spec check, client creation, then the client's own check. */
  async validate(store: StoreObject): Promise<Verdict> {
    let provider;
    try {
      provider = this.deps.registry.forStore(store);
      provider.validateStore(store);
    } catch (e) {
      return { ready: false, reason: StoreReason.InvalidStore, message: firstLine(e) };
    }
    let client: SecretsClient;
    try {
      client = await provider.newClient(store, {
        namespace: store.metadata.namespace ?? '',
        kube: this.deps.kube,
        clock: this.deps.clock,
        logger: this.deps.logger,
        fetch: this.deps.fetch,
      });
    } catch (e) {
      return {
        ready: false,
        reason: StoreReason.InvalidProviderConfig,
        message: 'unable to create client',
        detail: firstLine(e),
      };
    }
    try {
      const result = await client.validate();
      if (result === 'Ready')
        return {
          ready: true,
          reason: StoreReason.Valid,
          message: 'store validated',
          capabilities: provider.capabilities(store),
        };
      if (result === 'Unknown')
        return {
          ready: true,
          reason: StoreReason.ValidationUnknown,
          message: 'could not determine validation status',
        };
      return {
        ready: false,
        reason: StoreReason.InvalidProviderConfig,
        message: 'unable to validate store',
      };
    } catch (e) {
      return {
        ready: false,
        reason: StoreReason.InvalidProviderConfig,
        message: 'unable to validate store',
        detail: firstLine(e),
      };
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  private async writeCondition(store: StoreObject, verdict: Verdict): Promise<boolean> {
    const change = statusChange(store, verdict, this.deps.clock.now());
    if (!change) return false;
    const type =
      this.deps.kind === 'ClusterSecretStore'
        ? EsoResources.ClusterSecretStore
        : EsoResources.SecretStore;
    await this.deps.client.mergePatch(
      type,
      { namespace: store.metadata.namespace, name: store.metadata.name ?? '' },
      { status: change.status },
      { subresource: 'status' },
    );
    return change.flipped;
  }
}

/** The status fields to patch (Ready condition, capabilities), or undefined when none changed. */
function statusChange(
  store: StoreObject,
  verdict: Verdict,
  nowMs: number,
): { status: Partial<NonNullable<StoreObject['status']>>; flipped: boolean } | undefined {
  const old = store.status?.conditions?.find((c) => c.type === 'Ready');
  const condition = nextCondition(old, verdict, nowMs);
  const capabilities =
    verdict.capabilities !== store.status?.capabilities ? verdict.capabilities : undefined;
  if (condition === undefined && capabilities === undefined) return undefined;
  const others = (store.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
  return {
    status: {
      ...(condition ? { conditions: [...others, condition] } : {}),
      ...(capabilities ? { capabilities } : {}),
    },
    flipped: condition !== undefined && old?.status !== condition.status,
  };
}

/** The new Ready condition, or undefined when it would not change. */
function nextCondition(
  old: Condition | undefined,
  verdict: Verdict,
  nowMs: number,
): Condition | undefined {
  const status = verdict.ready ? 'True' : 'False';
  const same = old?.status === status;
  if (same && old.reason === verdict.reason && old.message === verdict.message) return undefined;
  return {
    type: 'Ready',
    status,
    reason: verdict.reason,
    message: verdict.message,
    lastTransitionTime: (same ? old.lastTransitionTime : undefined) ?? formatTime(nowMs),
  };
}
