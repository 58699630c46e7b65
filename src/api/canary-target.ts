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
