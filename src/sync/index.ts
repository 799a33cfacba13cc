/** The sync core's public API (see docs/templating.md and DESIGN.md "Data flow"). */
export { syncExternalSecret, syncWriteFailed, planSync } from './sync.ts';
export type { SyncAction, SyncInput, SyncResult, Requeue, WriteFailure } from './sync.ts';
export { runSync } from './run.ts';
export type { RunSyncOptions, RunSyncResult } from './run.ts';
export { fetchProviderData, resolveStoreRef } from './fetch.ts';
export type { FetchDeps, ResolvedStoreRef } from './fetch.ts';
export { Coalescer } from './coalescer.ts';
export { assembleProviderData, processSecretMap, processSecretValue } from './assemble.ts';
export type { FetchedData, Fetched } from './assemble.ts';
export {
  buildDesiredSecret,
  managedKeysOf,
  targetName,
  LABEL_CREATED_BY,
} from './desired-secret.ts';
export type { ManagedKeys } from './desired-secret.ts';
export {
  shouldRefresh,
  isSecretValid,
  requeueAfterMs,
  refreshIntervalMs,
  refreshTimeMs,
  readShareWindowMs,
  jitter,
  LABEL_MANAGED,
  ANNOTATION_DATA_HASH,
} from './refresh.ts';
export { dataHash, createdByHash, syncedResourceVersion, fieldManagerFor } from './hash.ts';
export { setReadyCondition, markDone, markFailed, Reason, Message } from './status.ts';
export type { SyncEvent } from './events.ts';
export { EventText } from './events.ts';
export { fromKubeSecret, toKubeSecret } from './target-secret.ts';
export type { TargetSecret, KubeSecret } from './target-secret.ts';
export { renderTemplate, templateSourceNames } from './template/apply.ts';
export type { TemplateSources, TemplateTarget } from './template/apply.ts';
export type { TemplateEngine } from './template/engine.ts';
export { goTemplateEngine } from './template/default-engine.ts';
export { templateFuncMap } from './template/funcmap.ts';
export { SyncError, isNoSecret } from './errors.ts';
