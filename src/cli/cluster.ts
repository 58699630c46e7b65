// wren cluster: the embedded local cluster (control plane and data plane).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../localcluster/cluster.ts';
import { runDataPlane } from '../localcluster/data-plane/daemon.ts';
import { dataPlaneInfo } from '../localcluster/data-plane/data-plane.ts';
import { CLUSTER_DIR, KUBECONFIG_PATH } from '../localcluster/paths.ts';
import { createLogger } from '../log.ts';
import { PROGRAM } from './program-name.ts';

const USAGE = `usage: ${PROGRAM} cluster up [--no-data-plane] | down | info [-o json] | logs POD [-n NAMESPACE] [-c CONTAINER] | kubeconfig

  up       build (the first time) and start the local control plane and its data plane: pods of
           ghcr.io/wren-dev/demo-app and ghcr.io/stefanprodan/podinfo run as real processes, Traefik
           routes to them and Prometheus scrapes them; prints what to export
  down     stop and delete everything: processes, network namespaces, the bridge, the cluster
  info     the kubeconfig and the loopback addresses of the router and Prometheus
  logs     the output of a pod's container (pods the local runtime runs)
`;

const progress = (message: string) => process.stderr.write(`${message}\n`);

function info(json: boolean): number {
  const dataPlane = dataPlaneInfo();
  const summary = {
    kubeconfig: KUBECONFIG_PATH,
    router: dataPlane ? { http: dataPlane.router.http, metrics: dataPlane.router.metrics } : null,
    prometheus: dataPlane?.prometheus ?? null,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`kubeconfig: ${summary.kubeconfig}\n`);
  process.stdout.write(
    dataPlane ? `router:     ${dataPlane.router.http}\nprometheus: ${dataPlane.prometheus}\n` : 'data plane: not running\n',
  );
  return 0;
}

function logs(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    options: { namespace: { type: 'string', short: 'n', default: 'default' }, container: { type: 'string', short: 'c' } },
    allowPositionals: true,
  });
  const [pod] = positionals;
  if (!pod) {
    process.stderr.write(USAGE);
    return 2;
  }
  const dir = join(CLUSTER_DIR, 'pods', `${values.namespace}_${pod}`);
  if (!existsSync(dir)) {
    process.stderr.write(`no logs for pod ${values.namespace}/${pod}: the local runtime has not run it\n`);
    return 1;
  }
  const files = readdirSync(dir).filter((file) => file.endsWith('.log'));
  const file = values.container ? `${values.container}.log` : files.length === 1 ? files[0] : undefined;
  if (!file || !files.includes(file)) {
    process.stderr.write(
      `pod ${values.namespace}/${pod} has containers ${files.map((name) => name.replace(/\.log$/, '')).join(', ')}: choose one with -c\n`,
    );
    return 1;
  }
  process.stdout.write(readFileSync(join(dir, file), 'utf8'));
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'up': {
      const { kubeconfig, dataPlane } = await clusterUp(progress, { dataPlane: !rest.includes('--no-data-plane') });
      process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
      if (dataPlane) process.stdout.write(`# router ${dataPlane.router.http}  Prometheus ${dataPlane.prometheus}\n`);
      return 0;
    }
    case 'down':
      await clusterDown(progress);
      return 0;
    case 'info':
      return info(rest.includes('json') && (rest.includes('-o') || rest.includes('--output')));
    case 'logs':
      return logs(rest);
    case 'kubeconfig':
      process.stdout.write(`${KUBECONFIG_PATH}\n`);
      return 0;
    case 'data-plane':
      // The data plane's own process, started by `up`; not for people to call.
      return runDataPlane(createLogger(process.env.WREN_LOG_LEVEL ?? 'info'));
    default:
      process.stderr.write(USAGE);
      return action === undefined || action === '--help' ? 0 : 2;
  }
}
