// wren operator: runs against the cluster of the current kubeconfig; with none configured, brings up
// the embedded local control plane, installs the CRDs and runs against that.
import { loadClusterAccess } from '../kube/kubeconfig.ts';
import { clusterUp, type ClusterInfo } from '../localcluster/cluster.ts';
import type { DataPlaneState } from '../localcluster/data-plane/state.ts';
import { BIN_LINK_DIR, KUBECONFIG_PATH } from '../localcluster/paths.ts';
import { installSampleApp, SAMPLE_PATCH_DIR, writeSampleTools } from '../localcluster/sample-app/install.ts';
import { SAMPLE_NAMESPACE } from '../localcluster/sample-app/manifests.ts';
import { nextSteps } from '../localcluster/sample-app/next-steps.ts';
import { startSampleUsers } from '../localcluster/sample-app/users.ts';
import { createLogger, type Logger } from '../log.ts';
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
  let access = loadClusterAccess(options.kubeconfig);
  let embedded: ClusterInfo | undefined;
  if (!access) {
    log.info('no cluster configured; starting the embedded local control plane');
    embedded = await clusterUp((message) => log.info(message));
    access = loadClusterAccess(embedded.kubeconfig);
    // Nothing of the embedded cluster is for other machines: health and metrics stay on loopback.
    if (options.httpHost === '0.0.0.0') options.httpHost = '127.0.0.1';
    if (!options.metricsServer && embedded.dataPlane) options.metricsServer = embedded.dataPlane.prometheus;
  }
  if (!access) throw new Error('could not load a kubeconfig');
  if (options.sampleApp && !embedded?.dataPlane) log.warn('--sample-app needs the embedded cluster and its data plane; not installing it');
  const sample = embedded?.dataPlane && (options.sampleApp ?? true) ? embedded.dataPlane : undefined;
  log.info({ version: VERSION, server: access.server, embedded: !!embedded }, 'starting wren operator');

  const operator = new Operator(access, options, log);
  if (options.installCrds ?? !!embedded) {
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

  const users = sample ? await startSample(operator, sample, log) : undefined;

  let stopping: Promise<void> | undefined;
  const exited = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'received signal');
      stopping ??= Promise.all([operator.stop(), users?.stop()]).then(() => resolve(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  await operator.start();
  if (sample) {
    const facts = { binDir: BIN_LINK_DIR, kubeconfig: KUBECONFIG_PATH, patchDir: SAMPLE_PATCH_DIR };
    process.stdout.write(nextSteps({ ...facts, router: sample.router.http, prometheus: sample.prometheus }));
  }
  return exited;
}

/** The sample release: installed once, then users' traffic flows until the operator stops. */
async function startSample(operator: Operator, dataPlane: DataPlaneState, log: Logger) {
  const created = await installSampleApp(operator.client);
  if (created.length > 0) log.info({ namespace: SAMPLE_NAMESPACE, created }, 'installed the sample release');
  writeSampleTools(process.argv[1] as string);
  return startSampleUsers(dataPlane.router.http, log);
}
