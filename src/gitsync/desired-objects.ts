// Turns rendered objects into what the sync applies: each resolved to its REST resource (or to a
// CRD in the same revision), placed in a namespace, stripped of the fields the canary engine owns,
// hashed, and marked with the tracking annotations. Anything the API server cannot take is refused
// here with the file and object named, before a single object is sent.
import type { ApiResources } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { applyView, gitOwnedView, replicasHandedToCanary, type CanaryTargets, type ReplicasHandedToCanary } from './canary-owned.ts';
import { objectKey, refOf, type ObjectRef } from './object-key.ts';
import { describeObject, type RenderedObject } from './rendered-object.ts';
import { SyncError } from './sync-error.ts';
import { desiredHash, withTracking } from './tracking.ts';

export interface DesiredObject {
  source: string;
  ref: ObjectRef;
  key: string;
  /** Undefined while the kind's CRD is part of this same sync and not served yet. */
  type: ResourceType | undefined;
  /** What Git owns of the object: compared against the cluster for drift. */
  gitView: KubeObject;
  /** What is sent: Git's content minus fields a Canary owns now, plus tracking annotations. */
  applied: KubeObject;
  hash: string;
  /** Git's replicas of a Deployment a Canary owns, handed to its -primary. */
  replicasToCanary?: ReplicasHandedToCanary;
}

export interface DesiredContext {
  namespace: string;
  tracking: string;
  /** The commit being applied, stamped on what is sent. */
  revision: string;
  resources: ApiResources;
  targets: CanaryTargets;
}

interface CrdKind {
  group: string;
  kind: string;
  versions: string[];
  namespaced: boolean;
}

function crdKinds(rendered: RenderedObject[]): CrdKind[] {
  return rendered
    .map(({ object }) => object)
    .filter((object) => object.kind === 'CustomResourceDefinition')
    .map((crd) => {
      const spec = (crd.spec ?? {}) as { group?: string; names?: { kind?: string }; versions?: { name?: string }[]; scope?: string };
      return {
        group: spec.group ?? '',
        kind: spec.names?.kind ?? '',
        versions: (spec.versions ?? []).map((version) => version.name ?? ''),
        namespaced: spec.scope !== 'Cluster',
      };
    });
}

function checkShape({ object, source }: RenderedObject): void {
  const missing = ['apiVersion', 'kind'].filter((field) => typeof object[field] !== 'string' || !object[field]);
  if (!object.metadata?.name) missing.push('metadata.name');
  if (missing.length > 0)
    throw new SyncError('validate', `object without ${missing.join(', ')}`, { file: source, object: describeObject(object) });
}

export async function resolveDesired(rendered: RenderedObject[], context: DesiredContext): Promise<DesiredObject[]> {
  const crds = crdKinds(rendered);
  const seen = new Map<string, string>();
  const desired: DesiredObject[] = [];
  for (const item of rendered) {
    checkShape(item);
    const { object, source } = item;
    const apiVersion = object.apiVersion as string;
    const type = await context.resources.resourceFor(apiVersion, object.kind as string);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const fromCrd = type
      ? undefined
      : crds.find((crd) => crd.group === group && crd.kind === object.kind && crd.versions.includes(version ?? ''));
    if (!type && !fromCrd) {
      throw new SyncError('validate', `the API server does not serve kind ${object.kind} in ${apiVersion}`, {
        file: source,
        object: describeObject(object),
      });
    }
    const namespaced = type ? type.namespaced : Boolean(fromCrd?.namespaced);
    const { namespace: _given, ...metadata } = object.metadata ?? {};
    const placed: KubeObject = {
      ...object,
      metadata: namespaced ? { ...metadata, namespace: object.metadata?.namespace || context.namespace } : metadata,
    };
    const key = objectKey(placed);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new SyncError('validate', `defined twice (also in ${earlier})`, { file: source, object: describeObject(placed) });
    }
    seen.set(key, source);
    const gitView = gitOwnedView(placed, context.targets);
    const hash = desiredHash(gitView);
    const replicasToCanary = replicasHandedToCanary(placed, context.targets);
    desired.push({
      source,
      ref: refOf(placed),
      key,
      type,
      gitView,
      applied: withTracking(applyView(placed, context.targets), context.tracking, hash, context.revision),
      hash,
      ...(replicasToCanary ? { replicasToCanary } : {}),
    });
  }
  return desired;
}
