// Condition bookkeeping as Kubernetes defines it: lastTransitionTime moves only when status flips.
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const existing = findCondition(conditions, next.type);
  const lastTransitionTime =
    existing && existing.status === next.status && existing.lastTransitionTime ? existing.lastTransitionTime : rfc3339(now);
  const updated: Condition = { ...next, lastTransitionTime };
  const others = (conditions ?? []).filter((condition) => condition.type !== next.type);
  return [...others, updated].sort((a, b) => a.type.localeCompare(b.type));
}

/** Seconds precision, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
