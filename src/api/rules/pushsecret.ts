import type { IssueList, Segments } from '../issues.ts';
import type { ClusterExternalSecretSpec, PushSecretSpec, PushSecretStoreRef } from '../types.ts';
import { checkDuration, checkLabelSelector, goRegexpError } from './common.ts';
import { checkExternalSecretSpec } from './externalsecret.ts';

function checkStoreRef(ref: PushSecretStoreRef | undefined, at: Segments, out: IssueList): void {
  if (!ref) return;
  if (ref.name === undefined && ref.labelSelector === undefined) {
    out.error(at, 'storeRef must specify either name or labelSelector');
  }
  checkLabelSelector(ref.labelSelector, [...at, 'labelSelector'], out);
}

/** PushSecret rules: ESO's CEL rules on dataTo plus selector and duration checks. */
export function checkPushSecretSpec(spec: PushSecretSpec, at: Segments, out: IssueList): void {
  checkDuration(spec.refreshInterval, [...at, 'refreshInterval'], out);
  spec.secretStoreRefs.forEach((ref, i) => {
    checkStoreRef(ref, [...at, 'secretStoreRefs', i], out);
  });
  checkLabelSelector(
    spec.selector.secret?.selector,
    [...at, 'selector', 'secret', 'selector'],
    out,
  );
  const secret = spec.selector.secret;
  if (secret && (secret.name === undefined) === (secret.selector === undefined)) {
    out.error([...at, 'selector', 'secret'], 'exactly one of name or selector must be set');
  }
  (spec.dataTo ?? []).forEach((entry, i) => {
    const e = [...at, 'dataTo', i];
    if (!entry.storeRef)
      out.error([...e, 'storeRef'], 'storeRef must specify either name or labelSelector');
    checkStoreRef(entry.storeRef, [...e, 'storeRef'], out);
    if (entry.remoteKey !== undefined && (entry.rewrite ?? []).length > 0) {
      out.error(
        e,
        'remoteKey and rewrite are mutually exclusive: rewrite is only supported in per-key mode (without remoteKey)',
      );
    }
    (entry.rewrite ?? []).forEach((r, j) => {
      if ((r.regexp === undefined) === (r.transform === undefined)) {
        out.error([...e, 'rewrite', j], 'exactly one of regexp or transform must be set');
      }
    });
    const match = entry.match?.regexp;
    const problem = match === undefined ? undefined : goRegexpError(match);
    if (problem !== undefined) out.error([...e, 'match', 'regexp'], problem);
  });
}

/** ClusterExternalSecret: the embedded ExternalSecret spec plus namespace selection. */
export function checkClusterExternalSecretSpec(
  spec: ClusterExternalSecretSpec,
  at: Segments,
  out: IssueList,
): void {
  checkExternalSecretSpec(spec.externalSecretSpec, [...at, 'externalSecretSpec'], out);
  checkDuration(spec.refreshTime, [...at, 'refreshTime'], out);
  checkLabelSelector(spec.namespaceSelector, [...at, 'namespaceSelector'], out);
  (spec.namespaceSelectors ?? []).forEach((s, i) => {
    checkLabelSelector(s, [...at, 'namespaceSelectors', i], out);
  });
  if (spec.namespaceSelector !== undefined) {
    out.warn([...at, 'namespaceSelector'], 'deprecated: use namespaceSelectors');
  }
  if (spec.namespaces !== undefined)
    out.warn([...at, 'namespaces'], 'deprecated: use namespaceSelectors');
  const none =
    spec.namespaceSelector === undefined &&
    (spec.namespaceSelectors ?? []).length === 0 &&
    (spec.namespaces ?? []).length === 0;
  if (none)
    out.warn(
      at,
      'no namespaceSelectors or namespaces: the ExternalSecret is created in no namespace',
    );
}

/** ClusterPushSecret: the embedded PushSecret spec plus namespace selection. */
export function checkClusterPushSecretSpec(
  spec: { pushSecretSpec: PushSecretSpec; refreshTime?: string; namespaceSelectors?: unknown[] },
  at: Segments,
  out: IssueList,
): void {
  checkPushSecretSpec(spec.pushSecretSpec, [...at, 'pushSecretSpec'], out);
  checkDuration(spec.refreshTime, [...at, 'refreshTime'], out);
  (spec.namespaceSelectors ?? []).forEach((s, i) => {
    checkLabelSelector(s as never, [...at, 'namespaceSelectors', i], out);
  });
  if ((spec.namespaceSelectors ?? []).length === 0) {
    out.warn(at, 'no namespaceSelectors: the PushSecret is created in no namespace');
  }
}
