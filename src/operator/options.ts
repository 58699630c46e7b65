// Operator settings from flags, then environment, then defaults.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOOL_PATHS, type ToolPaths } from '../gitsync/tool-paths.ts';
import { BIN_LINK_DIR } from '../localcluster/paths.ts';
import { parseDuration } from '../api/duration.ts';
import { normalizeProvider, TRAFFIC_PROVIDERS } from '../api/providers.ts';

export interface OperatorOptions {
  kubeconfig?: string;
  watchNamespace?: string;
  leaderElection: boolean;
  leaseNamespace: string;
  leaseName: string;
  leaseDurationSeconds: number;
  /**
   * Split the work over the live replicas in this many shards (by namespace, each behind its own
   * Lease) instead of one leader doing all of it; 0 (the default) keeps a single leader.
   */
  shards: number;
  identity: string;
  httpHost: string;
  httpPort: number;
  workers: number;
  defaultProvider: string;
  /** Prometheus for built-in metrics when a Canary names no spec.metricsServer. */
  metricsServer?: string;
  /** Annotation prefix of the NGINX ingress controller (default nginx.ingress.kubernetes.io). */
  ingressAnnotationsPrefix?: string;
  installCrds?: boolean;
  /** Install the sample release (demo app, Canary, users' traffic); default: only on the embedded cluster. */
  sampleApp?: boolean;
  logLevel: string;
  /** Where GitSync keeps its per-repository Git caches and short-lived checkouts. */
  gitSyncCacheDir: string;
  /** Secret ("namespace/name", key "token") that verifies Git webhook deliveries. */
  gitWebhookSecret: string;
  /** Secret ("namespace/name", key "token") that authenticates registry webhook deliveries. */
  registryWebhookSecret: string;
  /** kustomize, helm, sops and git; flags, then WREN_<TOOL>, then .wren/bin, then PATH. */
  tools: ToolPaths;
  /** GitSyncs in the operator's namespace without a ServiceAccount may act cluster-wide with its rights. */
  clusterWideGitSyncs: boolean;
  /** ServiceAccount (of each GitSync's own namespace) that GitSyncs naming none act as. */
  defaultServiceAccount?: string;
  /** Serve the web dashboard at /ui on the HTTP port (default true). */
  dashboard: boolean;
  /** The dashboard shows (never changes) everything to callers without a token. */
  dashboardAnonymousRead: boolean;
}

export const OPERATOR_USAGE = `usage: wren operator [flags]

  --kubeconfig PATH            cluster to run against (default: $KUBECONFIG, ~/.kube/config,
                               in-cluster; with none, the embedded local control plane)
  --watch-namespace NS         only watch this namespace (default: all)
  --no-leader-elect            run without leader election (one replica only)
  --lease-namespace NS         namespace of the leader Lease (default: $POD_NAMESPACE or wren-system)
  --lease-name NAME            name of the leader Lease (default wren-operator)
  --lease-duration DURATION    how long a silent leader keeps the Lease (default 15s)
  --shards N                   split the work over every live replica: N shards by namespace, each
                               behind its own Lease (<lease name>-shard-I), instead of one leader
                               (default 0: one leader); use at least as many shards as replicas
  --http-address HOST:PORT     health, readiness and metrics (default 0.0.0.0:8080)
  --workers N                  concurrent reconciles per kind (default 32)
  --provider NAME              traffic provider for Canaries that name none (default kubernetes)
  --metrics-server URL         Prometheus for built-in metrics of Canaries without spec.metricsServer
  --ingress-annotations-prefix P  annotation prefix of the NGINX ingress controller
                               (default nginx.ingress.kubernetes.io)
  --[no-]install-crds          install or update Wren's CRDs at start (default: only when embedded)
  --[no-]sample-app            install a sample release: the demo app behind Traefik, its Canary and
                               users' traffic (default: only when embedded; never on a real cluster)
  --log-level LEVEL            trace, debug, info, warn, error (default info)
  --gitsync-cache-dir DIR      Git caches of GitSyncs (default $TMPDIR/wren-gitsync)
  --git-webhook-secret NS/NAME Secret whose key "token" verifies POST /hooks/git
                               (default <lease namespace>/wren-git-webhook)
  --registry-webhook-secret NS/NAME  Secret whose key "token" authenticates POST /hooks/registry
                               (default <lease namespace>/wren-registry-webhook)
  --cluster-wide-gitsyncs      GitSyncs in the operator's namespace that name no serviceAccountName
                               may apply anywhere with the operator's rights (default: every GitSync
                               without one touches only its own namespace)
  --default-service-account NAME  ServiceAccount that GitSyncs naming none act as (impersonated)
  --no-dashboard               do not serve the web dashboard at /ui on the HTTP port
  --dashboard-anonymous-read   the dashboard shows everything read-only without a token (default:
                               every read needs a bearer token allowed to list the kind)
  --kustomize PATH, --helm PATH, --sops PATH, --git PATH
                               tools GitSync runs (default: $WREN_KUSTOMIZE …, .wren/bin, PATH)
`;

export class UsageError extends Error {}

export function parseOperatorOptions(args: string[], env: NodeJS.ProcessEnv = process.env): OperatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      'watch-namespace': { type: 'string' },
      'leader-elect': { type: 'boolean' },
      'lease-namespace': { type: 'string' },
      'lease-name': { type: 'string' },
      'lease-duration': { type: 'string' },
      shards: { type: 'string' },
      'http-address': { type: 'string' },
      workers: { type: 'string' },
      provider: { type: 'string' },
      'metrics-server': { type: 'string' },
      'ingress-annotations-prefix': { type: 'string' },
      'install-crds': { type: 'boolean' },
      'sample-app': { type: 'boolean' },
      'log-level': { type: 'string' },
      'gitsync-cache-dir': { type: 'string' },
      'git-webhook-secret': { type: 'string' },
      'registry-webhook-secret': { type: 'string' },
      'cluster-wide-gitsyncs': { type: 'boolean' },
      'default-service-account': { type: 'string' },
      dashboard: { type: 'boolean' },
      'dashboard-anonymous-read': { type: 'boolean' },
      kustomize: { type: 'string' },
      helm: { type: 'string' },
      sops: { type: 'string' },
      git: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
    allowNegative: true,
  });
  if (values.help) throw new UsageError(OPERATOR_USAGE);
  const leaseDurationMs = parseDuration(values['lease-duration'] ?? '15s');
  if (!leaseDurationMs || leaseDurationMs < 2000) throw new UsageError('--lease-duration: give a duration of at least 2s');
  const [host, portText] = splitHostPort(values['http-address'] ?? env.WREN_HTTP_ADDRESS ?? '0.0.0.0:8080');
  const httpPort = Number(portText);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) throw new UsageError('--http-address: bad port');
  const workers = Number(values.workers ?? '32');
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError('--workers: give a positive integer');
  const provider = values.provider ?? 'kubernetes';
  if (!normalizeProvider(provider)) throw new UsageError(`--provider: unknown provider; supported: ${TRAFFIC_PROVIDERS.join(', ')}`);
  const shards = Number(values.shards ?? '0');
  if (!Number.isInteger(shards) || shards < 0 || shards > 1024) throw new UsageError('--shards: give an integer from 0 to 1024');
  if (shards > 0 && values['leader-elect'] === false) throw new UsageError('--shards: shards need Leases; drop --no-leader-elect');
  const leaseNamespace = values['lease-namespace'] ?? env.POD_NAMESPACE ?? 'wren-system';
  return {
    kubeconfig: values.kubeconfig,
    watchNamespace: values['watch-namespace'],
    leaderElection: values['leader-elect'] ?? true,
    leaseNamespace,
    leaseName: values['lease-name'] ?? 'wren-operator',
    leaseDurationSeconds: Math.round(leaseDurationMs / 1000),
    shards,
    identity: env.POD_NAME ?? `${hostname()}-${randomBytes(3).toString('hex')}`,
    httpHost: host,
    httpPort,
    workers,
    defaultProvider: provider,
    ...((values['metrics-server'] ?? env.WREN_METRICS_SERVER)
      ? { metricsServer: values['metrics-server'] ?? env.WREN_METRICS_SERVER }
      : {}),
    ...(values['ingress-annotations-prefix'] ? { ingressAnnotationsPrefix: values['ingress-annotations-prefix'] } : {}),
    installCrds: values['install-crds'],
    sampleApp: values['sample-app'],
    logLevel: values['log-level'] ?? env.WREN_LOG_LEVEL ?? 'info',
    gitSyncCacheDir: values['gitsync-cache-dir'] ?? env.WREN_GITSYNC_CACHE_DIR ?? join(tmpdir(), 'wren-gitsync'),
    gitWebhookSecret: webhookSecret('--git-webhook-secret', values['git-webhook-secret'], `${leaseNamespace}/wren-git-webhook`),
    registryWebhookSecret: webhookSecret(
      '--registry-webhook-secret',
      values['registry-webhook-secret'],
      `${leaseNamespace}/wren-registry-webhook`,
    ),
    clusterWideGitSyncs: values['cluster-wide-gitsyncs'] ?? false,
    ...(values['default-service-account'] ? { defaultServiceAccount: serviceAccountName(values['default-service-account']) } : {}),
    dashboard: values.dashboard ?? true,
    dashboardAnonymousRead: values['dashboard-anonymous-read'] ?? false,
    tools: {
      kustomize: toolPath('kustomize', values.kustomize, env),
      helm: toolPath('helm', values.helm, env),
      sops: toolPath('sops', values.sops, env),
      git: toolPath('git', values.git, env),
    },
  };
}

function serviceAccountName(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) throw new UsageError('--default-service-account: give a ServiceAccount name');
  return value;
}

function webhookSecret(flagName: string, flag: string | undefined, fallback: string): string {
  const value = flag ?? fallback;
  if (!/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(value)) throw new UsageError(`${flagName}: give NAMESPACE/NAME`);
  return value;
}

/** A tool's path: its flag, WREN_<TOOL>, the project's built copy in .wren/bin, else its name on PATH. */
function toolPath(tool: keyof ToolPaths, flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[`WREN_${tool.toUpperCase()}`];
  if (flag ?? fromEnv) return (flag ?? fromEnv) as string;
  const built = join(BIN_LINK_DIR, tool);
  return tool !== 'git' && existsSync(built) ? built : DEFAULT_TOOL_PATHS[tool];
}

function splitHostPort(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new UsageError(`--http-address: "${address}" is not HOST:PORT`);
  return [address.slice(0, colon) || '0.0.0.0', address.slice(colon + 1)];
}
