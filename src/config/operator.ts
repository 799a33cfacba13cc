/**
 * `ferry operator` flags, parsed with node:util parseArgs. Names and defaults follow ESO's root
 * command (reference/eso.md §6.1) so existing Helm values and manifests keep working; Go-style
 * `--flag=false` is accepted for booleans, durations use Go syntax (`15s`, `1h30m`).
 */
import { parseArgs } from 'node:util';
import { parseGoDuration } from '../api/duration.ts';
import { UsageError } from '../errors.ts';
import { LOG_LEVELS } from '../telemetry/logger.ts';

export interface OperatorConfig {
  concurrent: number;
  /** Restrict watches to one namespace; '' = all. */
  namespace: string;
  controllerClass: string;
  enableLeaderElection: boolean;
  leaderElectionId: string;
  /** '' = the pod's namespace (from the service account mount), else `default`. */
  leaderElectionNamespace: string;
  leaderElectionLeaseDurationMs: number;
  leaderElectionRenewDeadlineMs: number;
  leaderElectionRetryPeriodMs: number;
  metricsAddr: string;
  healthAddr: string;
  loglevel: string;
  kubeconfig: string;
  clientQps: number;
  clientBurst: number;
  enableClusterStoreReconciler: boolean;
  enableSecretStoreReconciler: boolean;
  enableClusterExternalSecretReconciler: boolean;
  enablePushSecretReconciler: boolean;
  enableClusterPushSecretReconciler: boolean;
  enableFloodGate: boolean;
  enableManagedSecretsCaching: boolean;
  enableSecretsCaching: boolean;
  enableConfigmapsCaching: boolean;
  enableExtendedMetricLabels: boolean;
  unsafeAllowGenericTargets: boolean;
  storeRequeueIntervalMs: number;
  templateLeftDelimiter: string;
  templateRightDelimiter: string;
  /** Ferry: readiness/liveness fail when a queue has work and nothing finished for this long. */
  stallWindowMs: number;
  /** Ferry: how long a graceful shutdown waits for in-flight reconciles. */
  shutdownTimeoutMs: number;
  /** Ferry: consecutive store-level failures that open a store's circuit; 0 = no breaker. */
  storeCircuitThreshold: number;
  /** Ferry: how long an open store circuit fails calls fast before one probe. */
  storeCircuitOpenDurationMs: number;
  /** Ferry: fraction of refreshInterval within which a periodic refresh reuses a shared read. */
  refreshReadShare: number;
}

type FlagSpec = {
  type: 'string' | 'boolean';
  default: string | boolean;
  key: keyof OperatorConfig;
  kind?: 'int' | 'float' | 'duration';
};

/** Every flag: name → spec. Aliases point at the same config key. */
export const OPERATOR_FLAGS: Record<string, FlagSpec> = {
  concurrent: { type: 'string', default: '1', key: 'concurrent', kind: 'int' },
  namespace: { type: 'string', default: '', key: 'namespace' },
  'controller-class': { type: 'string', default: 'default', key: 'controllerClass' },
  'enable-leader-election': { type: 'boolean', default: false, key: 'enableLeaderElection' },
  'leader-elect': { type: 'boolean', default: false, key: 'enableLeaderElection' },
  'leader-election-id': {
    type: 'string',
    default: 'external-secrets-controller',
    key: 'leaderElectionId',
  },
  'leader-election-namespace': { type: 'string', default: '', key: 'leaderElectionNamespace' },
  'leader-election-lease-duration': {
    type: 'string',
    default: '15s',
    key: 'leaderElectionLeaseDurationMs',
    kind: 'duration',
  },
  'leader-election-renew-deadline': {
    type: 'string',
    default: '10s',
    key: 'leaderElectionRenewDeadlineMs',
    kind: 'duration',
  },
  'leader-election-retry-period': {
    type: 'string',
    default: '2s',
    key: 'leaderElectionRetryPeriodMs',
    kind: 'duration',
  },
  'metrics-addr': { type: 'string', default: ':8080', key: 'metricsAddr' },
  'metrics-bind-address': { type: 'string', default: ':8080', key: 'metricsAddr' },
  'live-addr': { type: 'string', default: ':8082', key: 'healthAddr' },
  'health-addr': { type: 'string', default: ':8082', key: 'healthAddr' },
  'health-probe-bind-address': { type: 'string', default: ':8082', key: 'healthAddr' },
  loglevel: { type: 'string', default: 'info', key: 'loglevel' },
  'zap-log-level': { type: 'string', default: 'info', key: 'loglevel' },
  kubeconfig: { type: 'string', default: '', key: 'kubeconfig' },
  'client-qps': { type: 'string', default: '50', key: 'clientQps', kind: 'float' },
  'client-burst': { type: 'string', default: '100', key: 'clientBurst', kind: 'int' },
  'enable-cluster-store-reconciler': {
    type: 'boolean',
    default: true,
    key: 'enableClusterStoreReconciler',
  },
  'enable-secret-store-reconciler': {
    type: 'boolean',
    default: true,
    key: 'enableSecretStoreReconciler',
  },
  'enable-cluster-external-secret-reconciler': {
    type: 'boolean',
    default: true,
    key: 'enableClusterExternalSecretReconciler',
  },
  'enable-push-secret-reconciler': {
    type: 'boolean',
    default: true,
    key: 'enablePushSecretReconciler',
  },
  'enable-cluster-push-secret-reconciler': {
    type: 'boolean',
    default: true,
    key: 'enableClusterPushSecretReconciler',
  },
  'enable-flood-gate': { type: 'boolean', default: true, key: 'enableFloodGate' },
  'enable-managed-secrets-caching': {
    type: 'boolean',
    default: true,
    key: 'enableManagedSecretsCaching',
  },
  'enable-secrets-caching': { type: 'boolean', default: false, key: 'enableSecretsCaching' },
  'enable-configmaps-caching': { type: 'boolean', default: false, key: 'enableConfigmapsCaching' },
  'enable-extended-metric-labels': {
    type: 'boolean',
    default: false,
    key: 'enableExtendedMetricLabels',
  },
  'unsafe-allow-generic-targets': {
    type: 'boolean',
    default: false,
    key: 'unsafeAllowGenericTargets',
  },
  'store-requeue-interval': {
    type: 'string',
    default: '5m',
    key: 'storeRequeueIntervalMs',
    kind: 'duration',
  },
  'template-left-delimiter': { type: 'string', default: '{{', key: 'templateLeftDelimiter' },
  'template-right-delimiter': { type: 'string', default: '}}', key: 'templateRightDelimiter' },
  'stall-window': { type: 'string', default: '5m', key: 'stallWindowMs', kind: 'duration' },
  'shutdown-timeout': {
    type: 'string',
    default: '30s',
    key: 'shutdownTimeoutMs',
    kind: 'duration',
  },
  'store-circuit-threshold': {
    type: 'string',
    default: '5',
    key: 'storeCircuitThreshold',
    kind: 'int',
  },
  'store-circuit-open-duration': {
    type: 'string',
    default: '30s',
    key: 'storeCircuitOpenDurationMs',
    kind: 'duration',
  },
  'refresh-read-share': {
    type: 'string',
    default: '0.1',
    key: 'refreshReadShare',
    kind: 'float',
  },
};

/** Rewrites Go-style `--flag=true|false` for boolean flags; parseArgs only knows `--flag`. */
function splitBooleans(args: readonly string[]): {
  args: string[];
  explicit: Map<string, boolean>;
} {
  const explicit = new Map<string, boolean>();
  const rest: string[] = [];
  for (const arg of args) {
    const [, name = '', value = ''] = /^--?([a-z0-9-]+)=(true|false)$/i.exec(arg) ?? [];
    if (OPERATOR_FLAGS[name]?.type === 'boolean')
      explicit.set(name, value.toLowerCase() === 'true');
    else rest.push(arg);
  }
  return { args: rest, explicit };
}

function convert(name: string, spec: FlagSpec, raw: string | boolean): string | number | boolean {
  if (typeof raw === 'boolean' || spec.kind === undefined) return raw;
  if (spec.kind === 'duration') {
    try {
      return parseGoDuration(raw);
    } catch {
      throw new UsageError(
        `--${name}: invalid duration "${raw}" (use Go syntax such as 30s, 5m, 1h)`,
      );
    }
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || (spec.kind === 'int' && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name}: want ${spec.kind === 'int' ? 'an integer' : 'a number'}, got "${raw}"`,
    );
  }
  return value;
}

function defaults(): OperatorConfig {
  const config: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(OPERATOR_FLAGS))
    config[spec.key] ??= convert(name, spec, spec.default);
  return config as unknown as OperatorConfig;
}

function validate(config: OperatorConfig): OperatorConfig {
  if (config.concurrent < 1)
    throw new UsageError(`--concurrent must be at least 1, got ${config.concurrent}`);
  if (!LOG_LEVELS.includes(config.loglevel.toLowerCase())) {
    throw new UsageError(
      `--loglevel: unknown level "${config.loglevel}"; use one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  if (config.storeCircuitThreshold < 0)
    throw new UsageError(
      `--store-circuit-threshold must be 0 (off) or more, got ${config.storeCircuitThreshold}`,
    );
  if (config.storeCircuitOpenDurationMs <= 0)
    throw new UsageError('--store-circuit-open-duration must be longer than 0s');
  if (config.refreshReadShare < 0 || config.refreshReadShare > 1)
    throw new UsageError(
      `--refresh-read-share must be a fraction of the refresh interval from 0 (off) to 1, got ${config.refreshReadShare}`,
    );
  if (config.leaderElectionRenewDeadlineMs >= config.leaderElectionLeaseDurationMs) {
    throw new UsageError(
      '--leader-election-renew-deadline must be shorter than --leader-election-lease-duration',
    );
  }
  return config;
}

/** Parses operator flags; unknown flags and bad values throw UsageError. */
export function parseOperatorFlags(argv: readonly string[]): OperatorConfig {
  const { args, explicit } = splitBooleans(argv);
  const options = Object.fromEntries(
    Object.entries(OPERATOR_FLAGS).map(([name, spec]) => [name, { type: spec.type }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const config = defaults() as unknown as Record<string, unknown>;
  for (const [name, raw] of [...Object.entries(values), ...explicit]) {
    const spec = OPERATOR_FLAGS[name];
    if (spec && raw !== undefined) config[spec.key] = convert(name, spec, raw);
  }
  return validate(config as unknown as OperatorConfig);
}
