// The traffic providers' own CRDs, installed into the local control plane so that every routing
// object Wren writes is validated by the real API server. They come from each project's Go module
// at a pinned version, through the Go module proxy; the module cache keeps them by version.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goBinary } from '../../src/localcluster/build-binaries.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import type { TestCluster } from './cluster.ts';

interface CrdSource {
  module: string;
  version: string;
  files: string[];
}

const GATEWAY_API = 'config/crd/standard/gateway.networking.k8s.io_';

export const PROVIDER_CRDS = {
  gatewayapi: {
    module: 'sigs.k8s.io/gateway-api',
    version: 'v1.6.0',
    files: ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'].map((kind) => `${GATEWAY_API}${kind}.yaml`),
  },
  istio: { module: 'istio.io/api', version: 'v1.31.1', files: ['kubernetes/customresourcedefinitions.gen.yaml'] },
  // SMI's own repository only ships a v1beta1 CRD, which Kubernetes no longer serves; Open Service
  // Mesh ships the same TrafficSplit API as apiextensions/v1.
  smi: { module: 'github.com/openservicemesh/osm', version: 'v1.2.4', files: ['cmd/osm-bootstrap/crds/smi_traffic_split.yaml'] },
  contour: { module: 'github.com/projectcontour/contour', version: 'v1.33.8', files: ['examples/contour/01-crds.yaml'] },
  traefik: {
    module: 'github.com/traefik/traefik/v3',
    version: 'v3.7.13',
    files: ['docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml'],
  },
} satisfies Record<string, CrdSource>;

export type CrdSet = keyof typeof PROVIDER_CRDS;

async function moduleDir(source: CrdSource): Promise<string> {
  const stdout = await runChecked(goBinary(), ['mod', 'download', '-json', `${source.module}@${source.version}`], {
    cwd: mkdtempSync(join(tmpdir(), 'wren-crds-')),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  const { Dir, Error: problem } = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!Dir) throw new Error(`cannot download ${source.module}@${source.version}: ${problem ?? 'no directory'}`);
  return Dir;
}

const installed = new Map<CrdSet, Promise<void>>();

/** Installs a provider's CRDs (once per test process) and waits until they are served. */
export function installProviderCrds(cluster: TestCluster, set: CrdSet): Promise<void> {
  let pending = installed.get(set);
  if (!pending) {
    pending = (async () => {
      const source = PROVIDER_CRDS[set];
      const dir = await moduleDir(source);
      for (const file of source.files) {
        const output = await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '-o', 'name', '-f', join(dir, file)]);
        const crds = output.split('\n').filter((line) => line.startsWith('customresourcedefinition'));
        await cluster.kubectl(['wait', '--for', 'condition=Established', '--timeout', '60s', ...crds]);
      }
    })();
    installed.set(set, pending);
  }
  return pending;
}
