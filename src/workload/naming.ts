// Names and labels of the objects Wren generates for a Canary, as Flagger names them.
export const PRIMARY_SUFFIX = '-primary';
export const CANARY_SUFFIX = '-canary';

/** Selector label keys Wren rewrites for the primary, in order of preference (Flagger's defaults). */
export const SELECTOR_LABEL_KEYS = ['app', 'name', 'app.kubernetes.io/name'] as const;

export const primaryName = (name: string) => `${name}${PRIMARY_SUFFIX}`;
export const canaryServiceName = (service: string) => `${service}${CANARY_SUFFIX}`;
export const primaryServiceName = (service: string) => `${service}${PRIMARY_SUFFIX}`;

/**
 * The primary's version of the target's selector: the well-known app label gets the -primary
 * suffix so primary and target pods never match each other's selector. Undefined when the selector
 * has none of the keys Wren knows (the Canary is then invalid).
 */
export function primarySelector(targetSelector: Record<string, string>): Record<string, string> | undefined {
  const key = SELECTOR_LABEL_KEYS.find((candidate) => targetSelector[candidate] !== undefined);
  if (!key) return undefined;
  return { ...targetSelector, [key]: `${targetSelector[key]}${PRIMARY_SUFFIX}` };
}

/** Pod labels of the primary: the target's, with the selector labels replaced by the primary's. */
export function primaryPodLabels(
  templateLabels: Record<string, string>,
  targetSelector: Record<string, string>,
  selector: Record<string, string>,
): Record<string, string> {
  const labels = { ...templateLabels };
  for (const key of Object.keys(targetSelector)) labels[key] = selector[key] as string;
  return labels;
}
