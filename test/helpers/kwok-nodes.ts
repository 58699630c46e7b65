// Nodes of a test's own on the shared cluster: KWOK runs every Node annotated as fake, so a test
// that needs room for many pods (or a place only its pods land) creates them, and removes them after.
import { NODES } from '../../src/kube/resource-types.ts';
import type { TestCluster } from './cluster.ts';

/** The pod spec fields that put a pod on a test's own node. */
export type Placement = Record<string, unknown> & {
  nodeSelector: Record<string, string>;
  tolerations: Record<string, string>[];
};

/** `count` fake nodes named PREFIX-I (KWOK gives each room for 110 pods), deleted when the test ends. */
export async function addKwokNodes(
  t: { after(fn: () => Promise<unknown>): void },
  cluster: TestCluster,
  prefix: string,
  count: number,
  taint?: { key: string; value: string },
): Promise<string[]> {
  const names = Array.from({ length: count }, (_, index) => `${prefix}-node-${index}`);
  for (const name of names) {
    await cluster.client.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { type: 'kwok', 'kubernetes.io/hostname': name } },
      spec: taint ? { taints: [{ ...taint, effect: 'NoSchedule' }] } : {},
    });
    t.after(() => cluster.client.delete(NODES, undefined, name).catch(() => undefined));
  }
  return names;
}

/**
 * A fake node of the test's own, tainted so only its pods land there: the shared cluster's nodes may
 * be full of other tests' pods. Answers what a pod spec needs to land on it.
 */
export async function ownNode(t: { after(fn: () => Promise<unknown>): void }, cluster: TestCluster, namespace: string): Promise<Placement> {
  const [name] = await addKwokNodes(t, cluster, namespace, 1, { key: 'wren.dev/test', value: namespace });
  return {
    nodeSelector: { 'kubernetes.io/hostname': name as string },
    tolerations: [{ key: 'wren.dev/test', operator: 'Equal', value: namespace, effect: 'NoSchedule' }],
  };
}
