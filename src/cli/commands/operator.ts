import { parseOperatorFlags } from '../../config/operator.ts';
import { createOperator } from '../../operator/operator.ts';
import type { Command } from '../command.ts';

const usage = `ferry operator [flags]

Runs the controllers for ExternalSecrets, SecretStores and ClusterSecretStores against the
cluster of --kubeconfig (else in-cluster, else the default kubeconfig). The CRDs must already be
installed ("ferry crds | kubectl apply --server-side -f -"). Flags follow ESO's controller:
--concurrent, --namespace, --controller-class, --enable-leader-election,
--leader-election-id/-namespace, --metrics-addr, --health-addr, --loglevel, --kubeconfig,
--store-requeue-interval, --enable-secret-store-reconciler, --enable-cluster-store-reconciler, ...
Stops gracefully on SIGINT/SIGTERM; exits 1 when leadership is lost.

Failing stores (Ferry): after --store-circuit-threshold consecutive store-level failures
(connection, timeout, 5xx, 429; default 5, 0 turns the breaker off) a store's circuit opens: its
calls fail fast without a request, and one probe goes through every
--store-circuit-open-duration (default 30s). See docs/operator.md, "Failing stores".

Refresh read sharing (Ferry): a periodic refresh may reuse a read another ExternalSecret of the
namespace made of the same key within --refresh-read-share × its refreshInterval (default 0.1,
at most 10m; 0 turns it off). Creates, changes, force-sync, repairs and retries always read.`;

export const operatorCommand: Command = {
  name: 'operator',
  summary: 'run the ExternalSecret and store controllers in a cluster (ESO drop-in)',
  usage,
  async run(args, io) {
    const config = parseOperatorFlags(args);
    const stopped = new Promise<number>((resolve) => {
      io.shutdown.addEventListener('abort', () => {
        resolve(0);
      });
      if (io.shutdown.aborted) resolve(0);
    });
    let onLost: () => void = () => undefined;
    const lostLeadership = new Promise<number>((resolve) => {
      onLost = () => {
        resolve(1);
      };
    });
    const operator = createOperator(config, {
      onLostLeadership: () => {
        onLost();
      },
    });
    const { logger } = operator.runtime;
    const started = operator.start();
    void started.then(
      () => {
        const servers = operator.runtime.servers.map(
          (s) => `${s.address.address}:${String(s.address.port)}`,
        );
        logger.info({ servers }, 'operator started');
      },
      () => undefined,
    );
    const never = new Promise<number>(() => undefined);
    const code = await Promise.race([stopped, lostLeadership, started.then(() => never)]);
    logger.info({}, 'shutting down');
    await operator.stop();
    return code;
  },
};
