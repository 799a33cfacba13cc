/**
 * The sync core: a pure function of (ExternalSecret, provider reads, current target, clock) →
 * (action on the target, status, events, when to look again). Operator and agent both drive it;
 * they differ only in where they read and write (DESIGN.md "Data flow"). ESO's reconcile flow:
 * reference/eso.md §2.1.
 */
import type { ExternalSecret, ExternalSecretStatus } from '../api/types.ts';
import type { ByteMap, FetchedData } from './assemble.ts';
import { assembleProviderData } from './assemble.ts';
import type { ManagedKeys } from './desired-secret.ts';
import {
  buildDesiredSecret,
  SecretIsOwnedError,
  SetControllerRefError,
  targetName,
} from './desired-secret.ts';
import { contentEqual, metadataEqual, secretsEqual } from './equality.ts';
import { messageOf } from './errors.ts';
import type { SyncEvent } from './events.ts';
import { EventText } from './events.ts';
import { createdByHash } from './hash.ts';
import type { Redactor } from './redact.ts';
import { redactorFor } from './redact.ts';
import type { SyncWindowCheck } from './refresh.ts';
import { isSecretValid, jitter, requeueAfterMs, shouldRefresh } from './refresh.ts';
import { markDone, markFailed, Message, Reason } from './status.ts';
import type { TargetSecret } from './target-secret.ts';
import type { TemplateSources } from './template/apply.ts';
import type { TemplateEngine } from './template/engine.ts';

/** What to do to the target. Events in `onSuccess` are recorded only once the write succeeded. */
export type SyncAction =
  | { kind: 'none' }
  | { kind: 'create'; secret: TargetSecret }
  | { kind: 'update'; secret: TargetSecret }
  | { kind: 'delete'; name: string };

/** `after` 0 means "now"; `backoff` means a rate-limited retry; `none` waits for a watch event. */
export type Requeue = { kind: 'after'; ms: number } | { kind: 'backoff' } | { kind: 'none' };

export interface SyncResult {
  action: SyncAction;
  /** Owner policy: first delete Secrets labelled created-by=`createdBy` not named `keep`. */
  deleteOrphans?: { createdBy: string; keep: string };
  status: ExternalSecretStatus;
  /** Record now. */
  events: SyncEvent[];
  /** Record after the action succeeded. */
  onSuccess: SyncEvent[];
  requeue: Requeue;
}

export interface SyncInput {
  es: ExternalSecret;
  existing?: TargetSecret | undefined;
  fetched: FetchedData;
  /** Reconcile start (ms epoch): becomes status.refreshTime. */
  nowMs: number;
  engine: TemplateEngine;
  templateSources?: TemplateSources;
  managedKeys?: ManagedKeys;
  delims?: { left?: string; right?: string };
  /** [0,1) source for ±10 % requeue jitter; absent means no jitter (ESO's behaviour). */
  random?: () => number;
}

/** Whether this reconcile must fetch and sync, or can stop here (§2.1 step 5). */
export function planSync(
  es: ExternalSecret,
  existing: TargetSecret | undefined,
  nowMs: number,
  opts: { windows?: SyncWindowCheck; random?: () => number; refreshDueAtMs?: number } = {},
): { refresh: true } | { refresh: false; requeue: Requeue } {
  if (shouldRefresh(es, nowMs, opts.windows, opts.refreshDueAtMs) || !isSecretValid(es, existing))
    return { refresh: true };
  return { refresh: false, requeue: requeueFor(es, nowMs, opts.random) };
}

function requeueFor(es: ExternalSecret, nowMs: number, random?: () => number): Requeue {
  const ms = requeueAfterMs(es, nowMs);
  if (ms === undefined) return { kind: 'none' };
  return { kind: 'after', ms: random ? jitter(ms, random) : ms };
}

function fetchedValues(fetched: FetchedData): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fetched.dataFrom) if (f?.ok) out.push(...f.value.values());
  for (const f of fetched.data) if (f.ok) out.push(f.value);
  return out;
}

function redactorOf(input: SyncInput, providerData?: ByteMap): Redactor {
  const values = fetchedValues(input.fetched);
  if (providerData) values.push(...providerData.values());
  for (const s of input.templateSources?.secrets?.values() ?? []) values.push(...s.values());
  return redactorFor(values);
}

interface Ctx {
  input: SyncInput;
  es: ExternalSecret;
  redact: Redactor;
  events: SyncEvent[];
}

function done(
  ctx: Ctx,
  reason: Reason,
  message: string,
  rest: Partial<SyncResult> = {},
): SyncResult {
  const status = markDone(ctx.es, reason, message, ctx.input.nowMs);
  const after: ExternalSecret = { ...ctx.es, status };
  return {
    action: { kind: 'none' },
    events: ctx.events,
    onSuccess: [],
    status,
    requeue: requeueFor(after, ctx.input.nowMs, ctx.input.random),
    ...rest,
  };
}

function failed(
  ctx: Ctx,
  message: string,
  error: unknown,
  rest: Partial<SyncResult> & { requeue: Requeue },
): SyncResult {
  const { status, event } = markFailed(
    ctx.es,
    message,
    ctx.redact(messageOf(error)),
    ctx.input.nowMs,
  );
  return {
    action: { kind: 'none' },
    events: [...ctx.events, event],
    onSuccess: [],
    status,
    ...rest,
  };
}

const NO_REQUEUE = { requeue: { kind: 'none' } } as const;
const BACKOFF = { requeue: { kind: 'backoff' } } as const;

function handleEmpty(ctx: Ctx, name: string): SyncResult | undefined {
  const target = ctx.es.spec.target ?? {};
  const policy = target.creationPolicy ?? 'Owner';
  switch (target.deletionPolicy ?? 'Retain') {
    case 'Delete':
      if (policy !== 'Owner') {
        const err = new Error(
          `unable to delete secret ${name}: creationPolicy=${policy} is not Owner`,
        );
        return failed(ctx, Message.errorDeleteSecret, err, NO_REQUEUE);
      }
      if (!ctx.input.existing) return done(ctx, Reason.SecretDeleted, Message.deleted);
      return done(ctx, Reason.SecretDeleted, Message.deleted, {
        action: { kind: 'delete', name },
        onSuccess: [{ type: 'Normal', reason: 'Deleted', message: EventText.deleted }],
      });
    case 'Retain':
      return done(ctx, Reason.SecretSynced, Message.syncedRetain);
    default:
      return undefined;
  }
}

/** `status.binding` names the target Secret. */
function binding(r: SyncResult, name: string): SyncResult {
  return { ...r, status: { ...r.status, binding: { name } } };
}

function writeResult(ctx: Ctx, desired: TargetSecret, name: string): SyncResult {
  const existing = ctx.input.existing;
  if (!existing) {
    return binding(
      done(ctx, Reason.SecretSynced, Message.synced, {
        action: { kind: 'create', secret: desired },
        onSuccess: [{ type: 'Normal', reason: 'Created', message: EventText.created }],
      }),
      name,
    );
  }
  if (secretsEqual(existing, desired))
    return binding(done(ctx, Reason.SecretSynced, Message.synced), name);
  if (existing.immutable === true)
    return binding(immutableUpdate(ctx, existing, desired, name), name);
  return binding(
    done(ctx, Reason.SecretSynced, Message.synced, {
      action: { kind: 'update', secret: desired },
      onSuccess: [{ type: 'Normal', reason: 'Updated', message: EventText.updated }],
    }),
    name,
  );
}

/** ESO updates only the metadata of an immutable Secret and fails if data or type changed. */
function immutableUpdate(
  ctx: Ctx,
  existing: TargetSecret,
  desired: TargetSecret,
  name: string,
): SyncResult {
  const metadataOnly: TargetSecret = { ...existing, metadata: structuredClone(desired.metadata) };
  const action: SyncAction = metadataEqual(existing, desired)
    ? { kind: 'none' }
    : { kind: 'update', secret: metadataOnly };
  if (contentEqual(existing, desired)) {
    return done(ctx, Reason.SecretSynced, Message.synced, {
      action,
      onSuccess: [{ type: 'Normal', reason: 'Updated', message: EventText.updated }],
    });
  }
  const err = new Error(`unable to update secret ${name}: secret is immutable`);
  return failed(ctx, Message.errorUpdateImmutable, err, { ...NO_REQUEUE, action });
}

function desiredOrFailure(ctx: Ctx, providerData: ByteMap): TargetSecret | SyncResult {
  const { input } = ctx;
  try {
    return buildDesiredSecret({
      es: ctx.es,
      existing: input.existing,
      providerData,
      engine: input.engine,
      ...(input.templateSources ? { templateSources: input.templateSources } : {}),
      ...(input.managedKeys ? { managedKeys: input.managedKeys } : {}),
      ...(input.delims ? { delims: input.delims } : {}),
    });
  } catch (error) {
    if (error instanceof SecretIsOwnedError)
      return failed(ctx, Message.errorIsOwned, error, NO_REQUEUE);
    if (error instanceof SetControllerRefError)
      return failed(ctx, Message.errorBecomeOwner, error, NO_REQUEUE);
    return failed(ctx, Message.errorUpdateSecret, error, BACKOFF);
  }
}

function assembleOrFailure(ctx: Ctx): ByteMap | SyncResult {
  try {
    const assembled = assembleProviderData(ctx.es, ctx.input.fetched, ctx.input.engine);
    ctx.events.push(...assembled.events);
    ctx.redact = redactorOf(ctx.input, assembled.data);
    return assembled.data;
  } catch (error) {
    return failed(ctx, Message.errorGetSecretData, error, BACKOFF);
  }
}

/** None never writes; Merge never creates (§2.1 step 9). */
function skipByPolicy(ctx: Ctx): SyncResult | undefined {
  const policy = ctx.es.spec.target?.creationPolicy ?? 'Owner';
  if (policy === 'None') return done(ctx, Reason.SecretSynced, Message.synced);
  if (policy === 'Merge' && !ctx.input.existing)
    return done(ctx, Reason.SecretMissing, Message.missing);
  return undefined;
}

/** ESO's reconcile for a Secret target from step 6 on (§2.1), as data. */
export function syncExternalSecret(input: SyncInput): SyncResult {
  const es = input.es;
  const name = targetName(es);
  const ctx: Ctx = { input, es, redact: redactorOf(input), events: [] };
  const providerData = assembleOrFailure(ctx);
  if (!(providerData instanceof Map)) return providerData;
  const early = (providerData.size === 0 ? handleEmpty(ctx, name) : undefined) ?? skipByPolicy(ctx);
  if (early) return early;
  const desired = desiredOrFailure(ctx, providerData);
  // ESO binds an existing target before mutating it, so a failed update still names it.
  if (!('data' in desired)) return ctx.input.existing ? binding(desired, name) : desired;
  return withOrphanCleanup(es, writeResult(ctx, desired, name), name);
}

/** Owner first deletes Secrets it created under an earlier target name (§2.1 step 9). */
function withOrphanCleanup(es: ExternalSecret, result: SyncResult, keep: string): SyncResult {
  if ((es.spec.target?.creationPolicy ?? 'Owner') !== 'Owner') return result;
  const createdBy = createdByHash(es.metadata.namespace ?? '', es.metadata.name ?? '');
  return { ...result, deleteOrphans: { createdBy, keep } };
}

/** Why a write the core asked for failed, as the caller saw it. */
export type WriteFailure = {
  stage: 'orphans' | 'write' | 'delete';
  conflict?: boolean;
  error: unknown;
};

/**
 * Status and requeue when the caller could not carry out a SyncResult (§2.1 step 10): a conflict
 * requeues at once, anything else is a failure with backoff and the last good Secret kept.
 */
export function syncWriteFailed(input: SyncInput, failure: WriteFailure): SyncResult {
  const ctx: Ctx = { input, es: input.es, redact: redactorOf(input), events: [] };
  if (failure.conflict) {
    return {
      action: { kind: 'none' },
      status: input.es.status ?? {},
      events: [],
      onSuccess: [],
      requeue: { kind: 'after', ms: 0 },
    };
  }
  const message =
    failure.stage === 'orphans'
      ? Message.errorDeleteOrphaned
      : failure.stage === 'delete'
        ? Message.errorDeleteSecret
        : Message.errorUpdateSecret;
  return failed(ctx, message, failure.error, BACKOFF);
}
