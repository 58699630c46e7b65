// The primary's HorizontalPodAutoscaler: the user's HPA for the target, retargeted at the primary.
// (The target's own HPA stays idle while Wren holds the target at zero replicas.)
import type { CanarySpecType } from '../api/canary.ts';
import type { KubeObject } from '../kube/objects.ts';
import { primaryName } from './naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL } from './owner.ts';

export interface HorizontalPodAutoscaler extends KubeObject {
  spec?: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: unknown[];
    behavior?: unknown;
  };
}

export function buildPrimaryAutoscaler(
  canary: KubeObject & { spec: CanarySpecType },
  source: HorizontalPodAutoscaler,
): HorizontalPodAutoscaler {
  const overrides = canary.spec.autoscalerRef?.primaryScalerReplicas;
  const spec = source.spec;
  if (!spec) throw new Error(`HorizontalPodAutoscaler ${source.metadata?.name} has no spec`);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: primaryName(source.metadata?.name ?? ''),
      namespace: canary.metadata?.namespace,
      labels: { ...(source.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY },
      ownerReferences: [controllerReference(canary)],
    },
    spec: {
      ...spec,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: primaryName(canary.spec.targetRef.name) },
      ...(overrides?.minReplicas === undefined ? {} : { minReplicas: overrides.minReplicas }),
      ...(overrides?.maxReplicas === undefined ? {} : { maxReplicas: overrides.maxReplicas }),
    },
  };
}
