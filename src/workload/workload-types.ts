// The parts of apps/v1 workloads that Wren reads and generates. Pod specs stay loosely typed: Wren
// copies them whole and only touches the references it must rewrite.
import type { KubeObject } from '../kube/objects.ts';

export type PodSpec = Record<string, unknown> & {
  volumes?: Volume[];
  containers?: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
};

export interface Volume {
  name: string;
  configMap?: { name?: string; optional?: boolean; [field: string]: unknown };
  secret?: { secretName?: string; optional?: boolean; [field: string]: unknown };
  projected?: { sources?: ProjectedSource[]; [field: string]: unknown };
  [field: string]: unknown;
}

export interface ProjectedSource {
  configMap?: { name?: string; optional?: boolean; [field: string]: unknown };
  secret?: { name?: string; optional?: boolean; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: {
    name: string;
    valueFrom?: { configMapKeyRef?: NamedKeyRef; secretKeyRef?: NamedKeyRef; [field: string]: unknown };
    [field: string]: unknown;
  }[];
  envFrom?: { configMapRef?: { name?: string; optional?: boolean }; secretRef?: { name?: string; optional?: boolean }; prefix?: string }[];
  [field: string]: unknown;
}

export interface NamedKeyRef {
  name?: string;
  key: string;
  optional?: boolean;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpec;
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    template?: PodTemplate;
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    strategy?: Record<string, unknown>;
    paused?: boolean;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    /** Pods being deleted that may still serve (Kubernetes 1.33+). */
    terminatingReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}
