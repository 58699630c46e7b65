// CRDs that come from a project's own Go module at a pinned version, through the Go module proxy (the
// module cache keeps them by version): the traffic providers' APIs, installed into the embedded
// cluster so that the objects Wren writes are validated by the real API server, and so the local
// router (Traefik) finds the kinds it serves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goBinary } from './build-binaries.ts';
import { runChecked } from './run-command.ts';
import { requiredVersion } from './go-modules.ts';
import { INFRA_DIR } from './paths.ts';

interface CrdSource {
  module: string;
  version: string;
  files: string[];
}

const GATEWAY_API = 'config/crd/standard/gateway.networking.k8s.io_';

export const PROVIDER_CRDS = {
  // The Gateway API release the local router (Traefik) is built against, so one set of CRDs serves
  // both Wren's gatewayapi provider and the router that implements it.
  gatewayapi: {
    module: 'sigs.k8s.io/gateway-api',
    version: 'v1.4.0',
    files: ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'backendtlspolicies'].map(
      (kind) => `${GATEWAY_API}${kind}.yaml`,
    ),
  },
  istio: { module: 'istio.io/api', version: 'v1.31.1', files: ['kubernetes/customresourcedefinitions.gen.yaml'] },
  // SMI's own repository only ships a v1beta1 CRD, which Kubernetes no longer serves; Open Service
  // Mesh ships the same TrafficSplit API as apiextensions/v1.
  smi: { module: 'github.com/openservicemesh/osm', version: 'v1.2.4', files: ['cmd/osm-bootstrap/crds/smi_traffic_split.yaml'] },
  contour: { module: 'github.com/projectcontour/contour', version: 'v1.33.8', files: ['examples/contour/01-crds.yaml'] },
  // The same release as the router binary (test/infra/traefik/go.mod).
  traefik: {
    module: 'github.com/traefik/traefik/v3',
    version: requiredVersion(join(INFRA_DIR, 'traefik', 'go.mod'), 'github.com/traefik/traefik/v3'),
    files: ['docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml'],
  },
} satisfies Record<string, CrdSource>;

export type CrdSet = keyof typeof PROVIDER_CRDS;

/** Where the Go module cache holds the module (downloaded through the proxy the first time). */
export async function moduleDir(module: string, version: string): Promise<string> {
  const stdout = await runChecked(goBinary(), ['mod', 'download', '-json', `${module}@${version}`], {
    cwd: mkdtempSync(join(tmpdir(), 'wren-module-')),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  const { Dir, Error: problem } = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!Dir) throw new Error(`cannot download ${module}@${version}: ${problem ?? 'no directory'}`);
  return Dir;
}

/** Applies a provider's CRDs with `kubectl` and waits until the API server serves them. */
export async function applyProviderCrds(kubectl: (args: string[]) => Promise<string>, set: CrdSet): Promise<void> {
  const source: CrdSource = PROVIDER_CRDS[set];
  const dir = await moduleDir(source.module, source.version);
  for (const file of source.files) {
    const output = await kubectl(['apply', '--server-side', '--force-conflicts', '-o', 'name', '-f', join(dir, file)]);
    const crds = output.split('\n').filter((line) => line.startsWith('customresourcedefinition'));
    await kubectl(['wait', '--for', 'condition=Established', '--timeout', '60s', ...crds]);
  }
}
