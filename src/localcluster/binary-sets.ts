// What the local control plane is built from: one Go module per set, each pinned by its go.mod.
import { join } from 'node:path';
import { requiredVersion } from './go-modules.ts';
import { INFRA_DIR } from './paths.ts';

export interface BinarySet {
  /** Cache key prefix, e.g. "kubernetes". */
  name: string;
  version: string;
  moduleDir: string;
  /** Output binary name → Go package that builds it. */
  binaries: Record<string, string>;
  ldflags: string[];
}

const kubernetesModule = join(INFRA_DIR, 'kubernetes');
const kwokModule = join(INFRA_DIR, 'kwok');
const kustomizeModule = join(INFRA_DIR, 'kustomize');
const helmModule = join(INFRA_DIR, 'helm');
const sopsModule = join(INFRA_DIR, 'sops');
const traefikModule = join(INFRA_DIR, 'traefik');
const podinfoModule = join(INFRA_DIR, 'podinfo');
const victoriaMetricsModule = join(INFRA_DIR, 'victoriametrics');

// The module proxy knows podinfo's releases only as pseudo-versions, so the release each pin is
// stays written here; a pin missing from this table stops the build instead of mislabelling it.
const podinfoReleases: Record<string, string> = {
  'v1.8.1-0.20250910200901-e86405a8674e': '6.9.2',
};

function podinfoVersionFlags(pseudoVersion: string): string[] {
  const release = podinfoReleases[pseudoVersion];
  if (!release) throw new Error(`test/infra/podinfo/go.mod pins ${pseudoVersion}: add its podinfo release to binary-sets.ts`);
  const commit = pseudoVersion.split('-').at(-1);
  return [
    `-X github.com/stefanprodan/podinfo/pkg/version.VERSION=${release}`,
    `-X github.com/stefanprodan/podinfo/pkg/version.REVISION=${commit}`,
  ];
}

function kubernetesVersionFlags(version: string): string[] {
  const [major, minor] = version.replace(/^v/, '').split('.');
  // Kubernetes binaries learn their version from linker flags; kwokctl reads it to pick flags.
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
}

export function binarySets(): BinarySet[] {
  const kubernetesVersion = requiredVersion(join(kubernetesModule, 'go.mod'), 'k8s.io/kubernetes');
  const helmVersion = requiredVersion(join(helmModule, 'go.mod'), 'helm.sh/helm/v3');
  const traefikVersion = requiredVersion(join(traefikModule, 'go.mod'), 'github.com/traefik/traefik/v3');
  const podinfoVersion = requiredVersion(join(podinfoModule, 'go.mod'), 'github.com/stefanprodan/podinfo');
  return [
    {
      name: 'kubernetes',
      version: kubernetesVersion,
      moduleDir: kubernetesModule,
      binaries: {
        'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
        'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
        'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
        kubectl: 'k8s.io/kubernetes/cmd/kubectl',
      },
      ldflags: kubernetesVersionFlags(kubernetesVersion),
    },
    {
      name: 'etcd',
      version: requiredVersion(join(kubernetesModule, 'go.mod'), 'go.etcd.io/etcd/server/v3'),
      moduleDir: kubernetesModule,
      binaries: { etcd: 'go.etcd.io/etcd/server/v3' },
      ldflags: [],
    },
    {
      name: 'kwok',
      version: requiredVersion(join(kwokModule, 'go.mod'), 'sigs.k8s.io/kwok'),
      moduleDir: kwokModule,
      binaries: { kwok: 'sigs.k8s.io/kwok/cmd/kwok', kwokctl: 'sigs.k8s.io/kwok/cmd/kwokctl' },
      ldflags: [],
    },
    // The render and decryption tools: each in its own module so their dependencies never have to
    // agree with Kubernetes' own.
    {
      name: 'kustomize',
      version: requiredVersion(join(kustomizeModule, 'go.mod'), 'sigs.k8s.io/kustomize/kustomize/v5'),
      moduleDir: kustomizeModule,
      binaries: { kustomize: 'sigs.k8s.io/kustomize/kustomize/v5' },
      ldflags: [],
    },
    {
      name: 'helm',
      version: helmVersion,
      moduleDir: helmModule,
      binaries: { helm: 'helm.sh/helm/v3/cmd/helm' },
      // Without it `helm version` reports only the minor release (v3.22), not the pinned patch.
      ldflags: [`-X helm.sh/helm/v3/internal/version.version=${helmVersion}`],
    },
    {
      name: 'sops',
      version: requiredVersion(join(sopsModule, 'go.mod'), 'github.com/getsops/sops/v3'),
      moduleDir: sopsModule,
      binaries: { sops: 'github.com/getsops/sops/v3/cmd/sops' },
      ldflags: [],
    },
    // The local data plane: the router and the demo app its pods run, again one module each.
    {
      name: 'traefik',
      version: traefikVersion,
      moduleDir: traefikModule,
      binaries: { traefik: 'github.com/traefik/traefik/v3/cmd/traefik' },
      // Without it `traefik version` says "dev". Traefik's releases report the version without its "v".
      ldflags: [`-X github.com/traefik/traefik/v3/pkg/version.Version=${traefikVersion.replace(/^v/, '')}`],
    },
    {
      name: 'podinfo',
      version: podinfoVersion,
      moduleDir: podinfoModule,
      binaries: { podinfo: 'github.com/stefanprodan/podinfo/cmd/podinfo' },
      ldflags: podinfoVersionFlags(podinfoVersion),
    },
  ];
}

/**
 * VictoriaMetrics (single node), a Prometheus-compatible server for the metric provider tests only:
 * built on first use by those tests, never by the cluster.
 */
export function victoriaMetricsSet(): BinarySet {
  return {
    name: 'victoria-metrics',
    version: requiredVersion(join(victoriaMetricsModule, 'go.mod'), 'github.com/VictoriaMetrics/VictoriaMetrics'),
    moduleDir: victoriaMetricsModule,
    binaries: { 'victoria-metrics': 'github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics' },
    ldflags: [],
  };
}
