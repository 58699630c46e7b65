// Installs (or updates) Wren's CRDs with server-side apply and waits until the API server serves them.
import { setTimeout as sleep } from 'node:timers/promises';
import { toCustomResourceDefinition } from '../api/crd.ts';
import { WREN_KINDS } from '../api/kinds.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CUSTOM_RESOURCE_DEFINITIONS } from '../kube/resource-types.ts';

interface CrdStatus extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

export async function installCrds(client: KubeClient, timeoutMs = 60_000): Promise<void> {
  const crds = WREN_KINDS.map((definition) => toCustomResourceDefinition(definition) as KubeObject);
  for (const crd of crds) await client.apply(CUSTOM_RESOURCE_DEFINITIONS, crd);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const current = await client.get<CrdStatus>(CUSTOM_RESOURCE_DEFINITIONS, undefined, name);
      const established = current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established within ${timeoutMs / 1000}s`);
      await sleep(100);
    }
  }
}
