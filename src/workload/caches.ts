// The watch caches the canary engine reads. Built once by the operator; read-only for everyone else.
import type { Canary } from '../api/canary.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { Informer } from '../kube/informer.ts';
import type { HorizontalPodAutoscaler } from './autoscaler.ts';
import type { ConfigObject } from './config-copies.ts';
import type { Service } from './services.ts';
import type { Deployment } from './workload-types.ts';

export interface CanaryCaches {
  canaries: Informer<Canary & { metadata?: { name?: string; namespace?: string } }>;
  deployments: Informer<Deployment>;
  services: Informer<Service>;
  configMaps: Informer<ConfigObject>;
  /** Secrets are cached without their data: only a checksum of it (see secretChecksumOnly). */
  secrets: Informer<ConfigObject>;
  autoscalers: Informer<HorizontalPodAutoscaler>;
  /** Read when a run starts, to name the ImagePolicy that chose each image it changes. */
  imagePolicies: Informer<ImagePolicy>;
}

export const key = (namespace: string | undefined, name: string) => `${namespace}/${name}`;
