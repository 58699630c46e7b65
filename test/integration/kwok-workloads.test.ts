// Workload status comes from the real controllers: KWOK nodes run the pods, the deployment
// controller reports readiness and progress deadlines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/kube/objects.ts';
import { DEPLOYMENTS, PODS } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';

interface Deployment extends KubeObject {
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

function deployment(name: string, namespace: string, replicas: number, extraPodSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'ghcr.io/example/app:1.0.0' }], ...extraPodSpec },
      },
    },
  };
}

test('a Deployment reaches readyReplicas == replicas on KWOK nodes', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, deployment('web', namespace, 3));
  const status = await eventually('3 ready replicas', async () => {
    const current = await cluster.client.get<Deployment>(DEPLOYMENTS, namespace, 'web');
    return current.status?.readyReplicas === 3 ? current.status : undefined;
  });
  assert.equal(status.updatedReplicas, 3);
  const pods = await cluster.client.list<KubeObject & { spec?: { nodeName?: string }; status?: { phase?: string } }>(PODS, namespace, {
    labelSelector: 'app=web',
  });
  assert.equal(pods.items.length, 3);
  for (const pod of pods.items) {
    assert.equal(pod.status?.phase, 'Running');
    assert.match(pod.spec?.nodeName ?? '', /^node-/);
  }
});

test('a Deployment whose pods cannot run reports ProgressDeadlineExceeded', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const stuck = deployment('stuck', namespace, 1, { nodeSelector: { 'wren.dev/no-such-node': 'true' } });
  await cluster.client.create(DEPLOYMENTS, { ...stuck, spec: { ...stuck.spec, progressDeadlineSeconds: 2 } });
  const progressing = await eventually(
    'the deployment controller to give up',
    async () => {
      const current = await cluster.client.get<Deployment>(DEPLOYMENTS, namespace, 'stuck');
      const condition = current.status?.conditions?.find((c) => c.type === 'Progressing');
      return condition?.reason === 'ProgressDeadlineExceeded' ? condition : undefined;
    },
    { timeoutMs: 120_000 },
  );
  assert.equal(progressing.status, 'False');
});
