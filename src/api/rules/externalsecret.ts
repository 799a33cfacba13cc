import type { IssueList, Segments } from '../issues.ts';
import type { ExternalSecretDataFrom, ExternalSecretSpec, SecretTemplate } from '../types.ts';
import { checkDuration, goRegexpError } from './common.ts';

const TEMPLATE_TARGETS = ['data', 'annotations', 'labels'];

/** ESO's admission rules for ExternalSecret (`externalsecret_validator.go`), on a defaulted spec. */
export function checkExternalSecretSpec(
  spec: ExternalSecretSpec,
  at: Segments,
  out: IssueList,
): void {
  const data = spec.data ?? [];
  const dataFrom = spec.dataFrom ?? [];
  if (data.length === 0 && dataFrom.length === 0)
    out.error(at, 'either data or dataFrom should be specified');
  checkPolicies(spec, [...at, 'target'], out);
  checkTemplate(spec, [...at, 'target', 'template'], out);
  dataFrom.forEach((entry, i) => {
    checkDataFrom(entry, [...at, 'dataFrom', i], out);
  });
  checkDuplicateKeys(spec, at, out);
  checkDuration(spec.refreshInterval, [...at, 'refreshInterval'], out);
  (spec.syncWindows?.windows ?? []).forEach((w, i) => {
    checkDuration(w.duration, [...at, 'syncWindows', 'windows', i, 'duration'], out);
  });
  data.forEach((d, i) => {
    if (d.sourceRef?.generatorRef) {
      out.warn(
        [...at, 'data', i, 'sourceRef', 'generatorRef'],
        'deprecated: use dataFrom[].sourceRef.generatorRef',
      );
    }
  });
}

function checkPolicies(spec: ExternalSecretSpec, at: Segments, out: IssueList): void {
  const creation = spec.target?.creationPolicy;
  const deletion = spec.target?.deletionPolicy;
  if (
    deletion === 'Delete' &&
    (creation === 'Merge' || creation === 'None' || creation === 'CreateOrMerge')
  ) {
    out.error(
      [...at, 'deletionPolicy'],
      "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner",
    );
  }
  if (deletion === 'Merge' && creation === 'None') {
    out.error(
      [...at, 'deletionPolicy'],
      'deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with',
    );
  }
}

function isSecretTarget(spec: ExternalSecretSpec): boolean {
  const manifest = spec.target?.manifest;
  return !manifest || (manifest.apiVersion === 'v1' && manifest.kind === 'Secret');
}

const SA_TOKEN = 'kubernetes.io/service-account-token';

/** ESO's `validatePrivilegedTemplate`: no templated service-account or bootstrap tokens. */
function checkPrivilegedTemplate(tpl: SecretTemplate, at: Segments, out: IssueList): void {
  if (tpl.type === 'bootstrap.kubernetes.io/token') {
    out.error([...at, 'type'], 'template.type="bootstrap.kubernetes.io/token" is not allowed');
  }
  if (tpl.type !== SA_TOKEN) return;
  const annotations = tpl.metadata?.annotations ?? {};
  if (Object.hasOwn(annotations, 'kubernetes.io/service-account.name')) {
    out.error(
      [...at, 'type'],
      `template.type="${SA_TOKEN}" with annotation "kubernetes.io/service-account.name" is not allowed`,
    );
  } else if ((tpl.templateFrom ?? []).some((t) => t.target?.toLowerCase() === 'annotations')) {
    out.error(
      [...at, 'type'],
      `template.type="${SA_TOKEN}" with templateFrom target="Annotations" is not allowed`,
    );
  }
}

function checkTemplate(spec: ExternalSecretSpec, at: Segments, out: IssueList): void {
  const tpl: SecretTemplate | undefined = spec.target?.template;
  if (!tpl) return;
  checkPrivilegedTemplate(tpl, at, out);
  if (!isSecretTarget(spec)) return;
  (tpl.templateFrom ?? []).forEach((t, i) => {
    const target = t.target ?? '';
    if (target !== '' && !TEMPLATE_TARGETS.includes(target.toLowerCase())) {
      out.error(
        [...at, 'templateFrom', i, 'target'],
        `templateFrom target=${JSON.stringify(target)} is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels"`,
      );
    }
  });
}

function checkDataFrom(entry: ExternalSecretDataFrom, at: Segments, out: IssueList): void {
  const sources = [entry.extract, entry.find, entry.sourceRef?.generatorRef];
  if (sources.filter((x) => x !== undefined).length > 1) {
    out.error(at, 'extract, find, or generatorRef cannot be set at the same time');
  }
  if (!entry.extract && !entry.find && !entry.sourceRef) {
    out.error(at, 'either extract, find, or sourceRef must be set to dataFrom');
  }
  const sourceRef = entry.sourceRef;
  if (sourceRef && !sourceRef.generatorRef && !sourceRef.storeRef) {
    out.error(
      [...at, 'sourceRef'],
      'generatorRef or storeRef must be set when using sourceRef in dataFrom',
    );
  }
  checkDataFromRegexps(entry, at, out);
}

function checkDataFromRegexps(entry: ExternalSecretDataFrom, at: Segments, out: IssueList): void {
  const nameRegexp = entry.find?.name?.regexp;
  if (nameRegexp !== undefined) reportRegexp(nameRegexp, [...at, 'find', 'name', 'regexp'], out);
  (entry.rewrite ?? []).forEach((r, i) => {
    if (r.regexp) reportRegexp(r.regexp.source, [...at, 'rewrite', i, 'regexp', 'source'], out);
  });
}

function reportRegexp(pattern: string, at: Segments, out: IssueList): void {
  const problem = goRegexpError(pattern);
  if (problem !== undefined) out.error(at, problem);
}

function checkDuplicateKeys(spec: ExternalSecretSpec, at: Segments, out: IssueList): void {
  if (spec.target?.deletionPolicy !== 'Retain') return;
  const seen = new Set<string>();
  (spec.data ?? []).forEach((d, i) => {
    if (seen.has(d.secretKey))
      out.error([...at, 'data', i, 'secretKey'], `duplicate secretKey found: ${d.secretKey}`);
    seen.add(d.secretKey);
  });
}
