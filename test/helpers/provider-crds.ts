// The traffic providers' own CRDs (src/localcluster/module-crds.ts), installed once per test process
// into the local control plane so that every routing object Wren writes is validated by the real
// API server.
import { applyProviderCrds, type CrdSet } from '../../src/localcluster/module-crds.ts';
import type { TestCluster } from './cluster.ts';

export type { CrdSet };

const installed = new Map<CrdSet, Promise<void>>();

export function installProviderCrds(cluster: TestCluster, set: CrdSet): Promise<void> {
  let pending = installed.get(set);
  if (!pending) {
    pending = applyProviderCrds((args) => cluster.kubectl(args), set);
    installed.set(set, pending);
  }
  return pending;
}
