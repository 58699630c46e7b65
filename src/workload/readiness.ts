// Is a Deployment's current revision rolled out and serving? Read from the status the real
// deployment controller writes, never assumed.
import type { Deployment } from './workload-types.ts';

export interface Readiness {
  /** The current revision is fully rolled out with enough available pods. */
  ready: boolean;
  /** At least one pod serves (of any revision). */
  serving: boolean;
  desiredReplicas: number;
  availableReplicas: number;
  /** The deployment controller gave up on the rollout. */
  deadlineExceeded: boolean;
  /** What the rollout is waiting for, for status messages. */
  waitingFor?: string;
}

export function deploymentReadiness(deployment: Deployment | undefined, thresholdPercent = 100): Readiness {
  if (!deployment) {
    return {
      ready: false,
      serving: false,
      desiredReplicas: 0,
      availableReplicas: 0,
      deadlineExceeded: false,
      waitingFor: 'the Deployment to exist',
    };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const available = status.availableReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  const deadlineExceeded = progressing?.reason === 'ProgressDeadlineExceeded';
  const needed = Math.ceil((desired * thresholdPercent) / 100);
  let waitingFor: string | undefined;
  if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0))
    waitingFor = 'the deployment controller to observe the change';
  else if (updated < desired) waitingFor = `${updated} of ${desired} pods updated`;
  else if ((status.replicas ?? 0) > updated) waitingFor = `${(status.replicas ?? 0) - updated} old pods to terminate`;
  else if (available < needed) waitingFor = `${available} of ${needed} pods available`;
  // A deleted pod drains before it exits and may answer until then: the rollout is not done while
  // an old version can still serve (where the API server reports it).
  else if ((status.terminatingReplicas ?? 0) > 0) waitingFor = `${status.terminatingReplicas} old pods to finish draining`;
  return {
    ready: waitingFor === undefined,
    serving: available > 0,
    desiredReplicas: desired,
    availableReplicas: available,
    deadlineExceeded,
    ...(waitingFor ? { waitingFor } : {}),
  };
}
