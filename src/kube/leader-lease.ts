// The leader-election rule, pure: given the Lease as last read, who we are, and when we saw its
// holder last renew, decide whether to renew, take over, or wait. Expiry is judged by our own clock
// from the moment we observed the last change (as client-go does), so clock skew between replicas
// cannot make two of them leaders.
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type LeaseDecision =
  | { action: 'create'; spec: LeaseSpec }
  | { action: 'renew'; spec: LeaseSpec }
  | { action: 'takeover'; spec: LeaseSpec }
  | { action: 'wait'; holder: string; expiresInMs: number };

export interface LeaseObservation {
  spec: LeaseSpec | undefined;
  /** Local time at which we first saw the spec as it is now (holder and renewTime). */
  observedAt: number;
}

export function decideLease(observation: LeaseObservation, identity: string, leaseDurationSeconds: number, now: Date): LeaseDecision {
  const { spec } = observation;
  const nowText = microTime(now);
  if (!spec) {
    return {
      action: 'create',
      spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: nowText, renewTime: nowText, leaseTransitions: 0 },
    };
  }
  if (spec.holderIdentity === identity) {
    return { action: 'renew', spec: { ...spec, leaseDurationSeconds, renewTime: nowText } };
  }
  const holder = spec.holderIdentity ?? '';
  const durationMs = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  const expiresInMs = holder ? observation.observedAt + durationMs - now.getTime() : 0;
  if (expiresInMs > 0) return { action: 'wait', holder, expiresInMs };
  return {
    action: 'takeover',
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: nowText,
      renewTime: nowText,
      leaseTransitions: (spec.leaseTransitions ?? 0) + 1,
    },
  };
}

/** The spec that hands the lease back on shutdown so a standby takes over at once. */
export function releasedSpec(spec: LeaseSpec, now: Date): LeaseSpec {
  return { ...spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now) };
}

/** Lease times are MicroTime: RFC 3339 with microseconds. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function sameHolderAndRenewal(a: LeaseSpec | undefined, b: LeaseSpec | undefined): boolean {
  return a?.holderIdentity === b?.holderIdentity && a?.renewTime === b?.renewTime;
}
