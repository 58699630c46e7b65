// Does the live object still hold what Git asked for? Every field Git sets must be present with the
// same value; fields the API server, admission or other controllers add are not drift. This cheap
// comparison runs on cached objects; a difference it reports is confirmed with a server-side dry-run
// before anyone calls it drift, so defaulting and normalisation (500m vs 0.5) never cause a write.
import { GIT_REVISION_ANNOTATION } from '../api/canary-target.ts';
import type { KubeObject } from '../kube/objects.ts';

const IGNORED_TOP_LEVEL = new Set(['status', 'apiVersion', 'kind']);
const IGNORED_METADATA = new Set(['creationTimestamp', 'resourceVersion', 'generation', 'uid', 'managedFields', 'selfLink']);

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

function sameScalar(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  // YAML writes 8080 where the API returns "8080" for int-or-string fields, and the other way round.
  if ((typeof desired === 'number' || typeof desired === 'string') && (typeof live === 'number' || typeof live === 'string')) {
    return String(desired) === String(live);
  }
  return false;
}

function compare(desired: unknown, live: unknown, path: string, found: string[], limit: number): void {
  if (found.length >= limit) return;
  // The API server drops empty maps and lists and nulls, so Git's "{}" or "null" holds whatever is live.
  if (isEmpty(desired)) return;
  if (isObject(desired)) {
    if (!isObject(live)) {
      found.push(path);
      return;
    }
    for (const [key, value] of Object.entries(desired)) compare(value, live[key], `${path}.${key}`, found, limit);
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) {
      found.push(path);
      return;
    }
    desired.forEach((item, index) => compare(item, live[index], `${path}[${index}]`, found, limit));
    return;
  }
  if (!sameScalar(desired, live)) found.push(path);
}

/** Paths (".spec.replicas") where the live object differs from Git's; empty when it holds everything. */
export function driftedPaths(desired: KubeObject, live: KubeObject, limit = 5): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (IGNORED_TOP_LEVEL.has(key)) continue;
    if (key === 'metadata' && isObject(value)) {
      const liveMetadata = (live.metadata ?? {}) as Record<string, unknown>;
      for (const [field, fieldValue] of Object.entries(value)) {
        if (!IGNORED_METADATA.has(field)) compare(fieldValue, liveMetadata[field], `.metadata.${field}`, found, limit);
      }
      continue;
    }
    compare(value, live[key], `.${key}`, found, limit);
  }
  return found;
}

/** The parts of an object a dry-run result and a cached object can be compared on. */
export function comparableContent(object: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = object;
  const kept: Record<string, unknown> = Object.fromEntries(
    Object.entries(metadata ?? {}).filter(([field]) => !IGNORED_METADATA.has(field)),
  );
  // The watch cache drops kubectl's copy of the object; a fresh API response still has it.
  const annotations = { ...((kept.annotations ?? {}) as Record<string, string>) };
  delete annotations[LAST_APPLIED];
  // Moves with every commit that changes the object: the same content sent from a later commit is no drift.
  delete annotations[GIT_REVISION_ANNOTATION];
  kept.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
  return { ...rest, metadata: kept };
}
