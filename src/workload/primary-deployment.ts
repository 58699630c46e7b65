// The -primary Deployment: the stable copy of the target that serves users between releases.
import { GIT_REVISION_ANNOTATION } from '../api/canary-target.ts';
import type { KubeObject } from '../kube/objects.ts';
import { renameConfigRefs, type ConfigRef } from './config-refs.ts';
import { primaryName, primaryPodLabels, primarySelector } from './naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL, REVISION_ANNOTATION } from './owner.ts';
import type { Deployment, PodTemplate } from './workload-types.ts';

// The Git revision stays on the target: the primary runs whatever was last promoted, which the
// Canary's release record names.
const NOT_COPIED_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  GIT_REVISION_ANNOTATION,
];

export interface PrimarySource {
  /** The target as it is now (names, labels, selector). */
  target: Deployment;
  /** The pod template to run: the target's template at initialization or at promotion. */
  template: PodTemplate;
  /** Revision id of that template, recorded on the primary. */
  revision: string;
  /** Replicas to set; undefined when an autoscaler owns them. */
  replicas: number | undefined;
  progressDeadlineSeconds: number;
  /** Names of the primary's config copies, for configs Wren tracks. */
  configCopies: ReadonlyMap<string, string>;
}

export function buildPrimaryDeployment(canary: KubeObject, source: PrimarySource): Deployment {
  const { target, template } = source;
  const targetSelector = target.spec?.selector?.matchLabels ?? {};
  const selector = primarySelector(targetSelector);
  if (!selector) throw new Error(`Deployment ${target.metadata?.name} has no app, name or app.kubernetes.io/name selector label`);
  const name = primaryName(target.metadata?.name ?? '');
  const annotations = Object.fromEntries(
    Object.entries(target.metadata?.annotations ?? {}).filter(([key]) => !NOT_COPIED_ANNOTATIONS.includes(key)),
  );
  const podSpec = renameConfigRefs(template.spec ?? {}, (ref: ConfigRef) => source.configCopies.get(`${ref.kind}/${ref.name}`));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: canary.metadata?.namespace,
      labels: { ...(target.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: { ...annotations, [REVISION_ANNOTATION]: source.revision },
      ownerReferences: [controllerReference(canary)],
    },
    spec: {
      ...(source.replicas === undefined ? {} : { replicas: source.replicas }),
      selector: { matchLabels: selector },
      progressDeadlineSeconds: source.progressDeadlineSeconds,
      ...(target.spec?.minReadySeconds === undefined ? {} : { minReadySeconds: target.spec.minReadySeconds }),
      ...(target.spec?.strategy === undefined ? {} : { strategy: target.spec.strategy }),
      template: {
        metadata: {
          ...(template.metadata ?? {}),
          labels: primaryPodLabels(template.metadata?.labels ?? {}, targetSelector, selector),
        },
        spec: podSpec,
      },
    },
  };
}
