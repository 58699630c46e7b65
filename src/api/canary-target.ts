// Annotations on a Canary's target Deployment that are part of Wren's API.

/**
 * The replicas the stable version should run, for a target whose replicas the Canary owns (it scales
 * the target itself between releases). A GitSync writes Git's spec.replicas here; the canary engine
 * gives them to the -primary, unless an autoscaler owns the primary's replicas.
 */
export const PRIMARY_REPLICAS_ANNOTATION = 'wren.dev/primary-replicas';

/** The annotation's value as a replica count, or undefined when it is absent or not a whole number >= 0. */
export function primaryReplicasOf(annotations: Record<string, string> | undefined): number | undefined {
  const text = annotations?.[PRIMARY_REPLICAS_ANNOTATION];
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** namespace/name of the GitSync that applied the object (set on everything a GitSync applies). */
export const GIT_SYNC_ANNOTATION = 'wren.dev/gitsync';

/**
 * The commit whose content the object holds, set by the GitSync whenever it sends the object: a
 * commit that does not change the object does not move it. The canary engine records it as the
 * revision that started a run.
 */
export const GIT_REVISION_ANNOTATION = 'wren.dev/git-revision';
