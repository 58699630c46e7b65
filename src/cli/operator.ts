// wren operator: runs against the cluster of the current kubeconfig; with none configured, brings up
// the embedded local control plane, installs the CRDs and runs against that.
import { loadKubeConfig } from '../kube/kubeconfig.ts';
import { clusterUp } from '../localcluster/cluster.ts';
import { createLogger } from '../log.ts';
import { LeaseNamespaceMissing, prepareLeaseNamespace } from '../operator/lease-namespace.ts';
import { installCrds } from '../operator/install-crds.ts';
import { Operator } from '../operator/operator.ts';
import { parseOperatorOptions, UsageError } from '../operator/options.ts';
import { VERSION } from '../version.ts';

export async function run(args: string[]): Promise<number> {
  let options;
  try {
    options = parseOperatorOptions(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  const log = createLogger(options.logLevel);
  let kubeConfig = loadKubeConfig(options.kubeconfig);
  let embedded = false;
  if (!kubeConfig) {
    log.info('no cluster configured; starting the embedded local control plane');
    const cluster = await clusterUp((message) => log.info(message));
    kubeConfig = loadKubeConfig(cluster.kubeconfig);
    embedded = true;
  }
  if (!kubeConfig) throw new Error('could not load a kubeconfig');
  log.info({ version: VERSION, server: kubeConfig.getCurrentCluster()?.server, embedded }, 'starting wren operator');

  const operator = new Operator(kubeConfig, options, log);
  if (options.installCrds ?? embedded) {
    await installCrds(operator.client);
    log.info('CRDs installed');
  }
  if (options.leaderElection) {
    try {
      const lease = await prepareLeaseNamespace(operator.client, options.leaseNamespace);
      if (lease === 'created') log.info({ namespace: options.leaseNamespace }, 'created the namespace of the leader Lease');
    } catch (error) {
      if (!(error instanceof LeaseNamespaceMissing)) throw error;
      log.error({ namespace: options.leaseNamespace }, error.message);
      return 1;
    }
  }

  let stopping: Promise<void> | undefined;
  const exited = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'received signal');
      stopping ??= operator.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  await operator.start();
  return exited;
}
