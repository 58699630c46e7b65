// The parts of a Pod the local runtime reads.
import type { KubeObject } from '../../kube/objects.ts';
import type { Container } from '../../workload/workload-types.ts';

export type LocalPod = KubeObject & {
  metadata?: KubeObject['metadata'] & { deletionGracePeriodSeconds?: number };
  spec?: {
    nodeName?: string;
    serviceAccountName?: string;
    terminationGracePeriodSeconds?: number;
    containers?: Container[];
  };
  status?: {
    podIP?: string;
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
};
