/**
 * The ClusterExternalSecret controller's reconcile (reference/eso.md §1.4, ESO's
 * `clusterexternalsecret_controller.go`): stamp one ExternalSecret into every selected namespace,
 * remove it from namespaces that no longer match, never touch an ExternalSecret another owner holds,
 * and report per-namespace failures in the status. Level-based: each pass compares the cluster with
 * the spec; it writes an ExternalSecret only when it differs and the status only when it changed.
 */
import type { AnySecretStore } from '../../api/types.ts';
import { parseGoDuration } from '../../api/duration.ts';
import { errorMessage } from '../../errors.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isAlreadyExists, isConflict } from '../../kube/errors.ts';
import { setFinalizer } from '../../kube/finalizers.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Clock, Logger } from '../../providers/provider.ts';
import {
  TerminalError,
  type ReconcileRequest,
  type ReconcileResult,
} from '../../runtime/manager.ts';
import { EsoResources } from '../kinds.ts';
import { isOurs } from '../secretstore/reconcile.ts';
import {
  desiredExternalSecret,
  externalSecretChanged,
  externalSecretNameOf,
  isOwnedBy,
  type ClusterExternalSecretObject,
  type ExternalSecretObject,
} from './externalsecret.ts';
import {
  CES_FINALIZER,
  hasFinalizer,
  namespaceFinalizer,
  setNamespaceFinalizer,
} from './finalizers.ts';
import type { ClusterExternalSecretMetrics } from './metrics.ts';
import { statusOf, writeStatusIfChanged, type NamespaceFailures } from './status.ts';
import { InvalidNamespaceSelectorError, targetNamespaces, type NamespaceMeta } from './targets.ts';

/** ESO's RequeueInterval for ClusterExternalSecrets without `refreshTime`. */
export const DEFAULT_REFRESH_MS = 3_600_000;

/** ESO's reason for a namespace whose ExternalSecret of that name belongs to someone else. */
export const REASON_EXISTS = 'external secret already exists in namespace';

export interface ClusterExternalSecretReconcilerDeps {
  client: KubeClient;
  clusterExternalSecrets: { getByRef(ref: ObjectRef): ClusterExternalSecretObject | undefined };
  /** The namespace cache (metadata only). */
  namespaces: { list(): NamespaceMeta[] };
  /** ClusterSecretStores, to leave a CES whose store has another `--controller-class` alone. */
  clusterSecretStores?: { getByRef(ref: ObjectRef): AnySecretStore | undefined };
  controllerClass?: string;
  clock: Clock;
  logger: Logger;
  /** ESO's `clusterexternalsecret_*` series. */
  metrics?: ClusterExternalSecretMetrics;
  defaultRefreshMs?: number;
}

/** Thrown after the status is written when a write hit a 409, so the manager retries soon. */
export class ProvisionConflictError extends Error {}

/** A deleted CES whose ExternalSecrets or namespace finalizers could not all be removed yet. */
export class CleanupIncompleteError extends Error {}

/** A provisioning step failed; the message is ESO's, the API error is the cause. */
export class ProvisionError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(`${what}: ${errorMessage(options.cause)}`, options);
  }
}

/** What one pass over a ClusterExternalSecret has found so far. */
interface Pass {
  ces: ClusterExternalSecretObject;
  esName: string;
  failures: NamespaceFailures;
  conflict: boolean;
}

export class ClusterExternalSecretReconciler {
  constructor(private readonly deps: ClusterExternalSecretReconcilerDeps) {}

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const ces = this.deps.clusterExternalSecrets.getByRef({ name: request.name });
    if (!ces || !this.ours(ces)) {
      if (!ces) this.deps.metrics?.forget(request.name);
      return undefined;
    }
    if (ces.metadata.deletionTimestamp) {
      await this.cleanUp(ces);
      return undefined;
    }
    const started = this.deps.clock.now();
    try {
      return await this.converge(ces);
    } finally {
      this.deps.metrics?.duration(request.name, (this.deps.clock.now() - started) * 1e6);
    }
  }

  private async converge(ces: ClusterExternalSecretObject): Promise<ReconcileResult> {
    await setFinalizer(this.deps.client, EsoResources.ClusterExternalSecret, ces, {
      finalizer: CES_FINALIZER,
      wanted: true,
    });
    const pass: Pass = {
      ces,
      esName: externalSecretNameOf(ces),
      failures: new Map(),
      conflict: false,
    };
    const provisioned = await this.provision(pass);
    const status = statusOf(pass.esName, provisioned, pass.failures);
    await writeStatusIfChanged(this.deps.client, ces, status);
    this.deps.metrics?.ready(ces.metadata.name ?? '', pass.failures.size === 0 ? 'True' : 'False');
    if (pass.conflict)
      throw new ProvisionConflictError(
        `ClusterExternalSecret ${ces.metadata.name ?? ''}: a write conflicted; retrying`,
      );
    return { requeueAfter: this.refreshMs(ces) };
  }

  /** Converges every namespace; returns the provisioned ones (sorted). */
  private async provision(pass: Pass): Promise<string[]> {
    const previous = pass.ces.status?.provisionedNamespaces ?? [];
    const previousName = pass.ces.status?.externalSecretName;
    // A renamed externalSecretName leaves the old ExternalSecrets behind unless removed (ESO).
    if (previousName && previousName !== pass.esName)
      await this.removeEach(pass, previous, previousName);
    const targets = await this.targets(pass, previous);
    const names = new Set(targets.map((ns) => ns.metadata.name ?? ''));
    const dropped = previous.filter((ns) => !names.has(ns));
    await this.removeEach(pass, dropped, pass.esName);
    await this.releaseNamespaces(pass, names);
    const provisioned: string[] = [];
    for (const ns of targets)
      if (await this.provisionOne(pass, ns)) provisioned.push(ns.metadata.name ?? '');
    return provisioned;
  }

  /**
   * The selected namespaces. A selector that cannot be evaluated fails the whole CES under the
   * namespace `unknown` (ESO) and only a spec change can fix it.
   */
  private async targets(pass: Pass, previous: string[]): Promise<NamespaceMeta[]> {
    try {
      return targetNamespaces(pass.ces.spec, this.deps.namespaces.list());
    } catch (error) {
      if (!(error instanceof InvalidNamespaceSelectorError)) throw error;
      const failed = new Map([['unknown', error.message]]);
      await writeStatusIfChanged(
        this.deps.client,
        pass.ces,
        statusOf(pass.esName, previous, failed),
      );
      this.deps.metrics?.ready(pass.ces.metadata.name ?? '', 'False');
      throw new TerminalError(
        `ClusterExternalSecret ${pass.ces.metadata.name ?? ''}: ${error.message}`,
      );
    }
  }

  /** Creates or updates the ExternalSecret in one namespace; false when the namespace failed. */
  private async provisionOne(pass: Pass, ns: NamespaceMeta): Promise<boolean> {
    const name = ns.metadata.name ?? '';
    const finalizer = namespaceFinalizer(pass.ces.metadata.name ?? '');
    try {
      if (ns.metadata.deletionTimestamp) {
        // A terminating namespace: let it go (ESO removes its finalizer and skips it).
        await setNamespaceFinalizer(this.deps.client, ns, finalizer, false);
        return false;
      }
      const ref = { namespace: name, name: pass.esName };
      const existing = await this.deps.client.get<ExternalSecretObject>(
        EsoResources.ExternalSecret,
        ref,
      );
      if (existing && !isOwnedBy(existing, pass.ces.metadata.name ?? '')) {
        pass.failures.set(name, REASON_EXISTS);
        return false;
      }
      await setNamespaceFinalizer(this.deps.client, ns, finalizer, true);
      await this.write(pass, name, existing);
      return true;
    } catch (error) {
      this.fail(pass, name, error);
      return false;
    }
  }

  private async write(pass: Pass, namespace: string, existing: ExternalSecretObject | undefined) {
    const desired = desiredExternalSecret(pass.ces, namespace, existing);
    const client = this.deps.client;
    try {
      if (!existing) await client.create(EsoResources.ExternalSecret, desired);
      else if (externalSecretChanged(existing, desired))
        await client.update(EsoResources.ExternalSecret, desired);
    } catch (error) {
      // Created meanwhile (by us in an earlier pass the cache has not seen, or by someone else):
      // a 409 makes the manager retry, and the next pass reads it and decides.
      if (isAlreadyExists(error)) pass.conflict = true;
      throw new ProvisionError('could not create or update ExternalSecret', { cause: error });
    }
  }

  private fail(pass: Pass, namespace: string, error: unknown): void {
    const cause = error instanceof ProvisionError ? error.cause : error;
    if (isConflict(cause)) pass.conflict = true;
    pass.failures.set(namespace, errorMessage(error));
    this.deps.logger.warn(
      { clusterExternalSecret: pass.ces.metadata.name, namespace, error: errorMessage(error) },
      'could not provision namespace',
    );
  }

  /** Deletes the CES's ExternalSecret `esName` in each namespace (only if the CES owns it). */
  private async removeEach(pass: Pass, namespaces: string[], esName: string): Promise<void> {
    for (const namespace of namespaces) {
      try {
        await this.removeOne(pass.ces, namespace, esName);
      } catch (error) {
        this.fail(pass, namespace, error);
      }
    }
  }

  private async removeOne(ces: ClusterExternalSecretObject, namespace: string, esName: string) {
    const ref = { namespace, name: esName };
    const es = await this.deps.client.get<ExternalSecretObject>(EsoResources.ExternalSecret, ref);
    if (!es || !isOwnedBy(es, ces.metadata.name ?? '')) return;
    try {
      await this.deps.client.delete(EsoResources.ExternalSecret, ref, {
        preconditions: { uid: es.metadata.uid },
      });
    } catch (error) {
      throw new ProvisionError('external secret in non matching namespace could not be deleted', {
        cause: error,
      });
    }
  }

  /**
   * Removes the CES's finalizer from namespaces it no longer provisions. ESO leaves it there, so a
   * namespace unselected once stays Terminating after deletion until the CES goes; Ferry does not.
   */
  private async releaseNamespaces(pass: Pass, keep: Set<string>): Promise<void> {
    const finalizer = namespaceFinalizer(pass.ces.metadata.name ?? '');
    for (const ns of this.deps.namespaces.list()) {
      const name = ns.metadata.name ?? '';
      if (keep.has(name) || !hasFinalizer(ns, finalizer)) continue;
      try {
        await setNamespaceFinalizer(this.deps.client, ns, finalizer, false);
      } catch (error) {
        this.fail(pass, name, error);
      }
    }
  }

  /** The CES is being deleted: remove its ExternalSecrets and namespace finalizers, then its own. */
  private async cleanUp(ces: ClusterExternalSecretObject): Promise<void> {
    const pass: Pass = {
      ces,
      esName: ces.status?.externalSecretName || (ces.metadata.name ?? ''),
      failures: new Map(),
      conflict: false,
    };
    await this.removeEach(pass, ces.status?.provisionedNamespaces ?? [], pass.esName);
    await this.releaseNamespaces(pass, new Set());
    const first = [...pass.failures.entries()][0];
    if (first)
      throw new CleanupIncompleteError(
        `ClusterExternalSecret ${ces.metadata.name ?? ''}: cleanup failed in namespace ${first[0]}: ${first[1]}`,
      );
    await setFinalizer(this.deps.client, EsoResources.ClusterExternalSecret, ces, {
      finalizer: CES_FINALIZER,
      wanted: false,
    });
  }

  /** Ferry: a CES whose store names another controller class is that controller's business. */
  private ours(ces: ClusterExternalSecretObject): boolean {
    const ref = ces.spec.externalSecretSpec.secretStoreRef;
    // A namespaced SecretStore differs per namespace; only a ClusterSecretStore decides for all.
    if (ref?.kind !== 'ClusterSecretStore' || !ref.name) return true;
    const store = this.deps.clusterSecretStores?.getByRef({ name: ref.name });
    return !store || isOurs(store, this.deps.controllerClass);
  }

  private refreshMs(ces: ClusterExternalSecretObject): number {
    const fallback = this.deps.defaultRefreshMs ?? DEFAULT_REFRESH_MS;
    const text = ces.spec.refreshTime;
    if (text === undefined) return fallback;
    try {
      return parseGoDuration(text);
    } catch {
      return fallback;
    }
  }
}
