/**
 * Store validation as ESO does it (`validate.go Client.Validate`): ask the remote API server
 * what this identity may do in the remote namespace (SelfSubjectRulesReview); if no rule grants
 * `get` on secrets, ask once more for exactly that (SelfSubjectAccessReview), which also sees
 * webhook authorizers. A review that cannot be made is "Unknown", not a failure.
 */
import type { KubeClient } from '../../kube/client.ts';
import type { KubeObject, ResourceType } from '../../kube/types.ts';
import { errorMessage } from '../../errors.ts';
import { ProviderError, type Logger, type ValidationResult } from '../provider.ts';

const RULES_REVIEW: ResourceType = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  namespaced: false,
};

const ACCESS_REVIEW: ResourceType = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  namespaced: false,
};

interface ResourceRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
}

interface RulesReview extends KubeObject {
  spec: { namespace: string };
  status?: { resourceRules?: ResourceRule[] };
}

interface AccessReview extends KubeObject {
  spec: { resourceAttributes: { resource: string; namespace: string; verb: string } };
  status?: { allowed?: boolean };
}

/** A rule that grants `get` on core secrets (wildcards count). */
export function grantsGetSecrets(rule: ResourceRule): boolean {
  const has = (list: string[] | undefined, value: string): boolean =>
    (list ?? []).some((v) => v === value || v === '*');
  const coreGroup = (rule.apiGroups ?? []).length === 0 || has(rule.apiGroups, '');
  return has(rule.resources, 'secrets') && has(rule.verbs, 'get') && coreGroup;
}

/** Ready when the identity may get Secrets in `namespace`; throws when it may not. */
export async function reviewSecretAccess(
  remote: KubeClient,
  namespace: string,
  logger: Logger,
): Promise<ValidationResult> {
  let rules: RulesReview;
  let access: AccessReview;
  try {
    rules = await remote.create<RulesReview>(RULES_REVIEW, {
      apiVersion: RULES_REVIEW.apiVersion,
      kind: RULES_REVIEW.kind,
      metadata: {},
      spec: { namespace },
    });
    if ((rules.status?.resourceRules ?? []).some(grantsGetSecrets)) return 'Ready';
    access = await remote.create<AccessReview>(ACCESS_REVIEW, {
      apiVersion: ACCESS_REVIEW.apiVersion,
      kind: ACCESS_REVIEW.kind,
      metadata: {},
      spec: { resourceAttributes: { resource: 'secrets', namespace, verb: 'get' } },
    });
  } catch (e) {
    logger.warn(
      { namespace, error: errorMessage(e) },
      'could not verify if client is valid; reporting the store as Unknown',
    );
    return 'Unknown';
  }
  if (access.status?.allowed === true) return 'Ready';
  throw new ProviderError(`client is not allowed to get secrets in namespace ${namespace}`, {
    retryable: false,
  });
}
