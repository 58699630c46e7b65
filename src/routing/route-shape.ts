// What every provider's routing objects share: names, ownership, the session cookie, and the
// conversion of a Canary's request matches, so each provider file only says how its kind looks.
import type { Canary } from '../api/canary.ts';
import type { ObjectMeta } from '../kube/objects.ts';
import { apexServiceName } from '../workload/services.ts';
import { canaryServiceName, primaryServiceName } from '../workload/naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL } from '../workload/owner.ts';

export interface ServiceNames {
  apex: string;
  primary: string;
  canary: string;
}

export function serviceNames(canary: Canary): ServiceNames {
  const apex = apexServiceName(canary.spec);
  return { apex, primary: primaryServiceName(apex), canary: canaryServiceName(apex) };
}

/** Metadata of a routing object the Canary owns (garbage-collected with it). */
export function ownedMetadata(canary: Canary, name: string): ObjectMeta {
  return {
    name,
    namespace: canary.metadata?.namespace ?? '',
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
    ownerReferences: [controllerReference(canary)],
  };
}

export type StringMatch = { exact?: string; prefix?: string; suffix?: string; regex?: string };
export type RequestMatch = NonNullable<Canary['spec']['analysis']['match']>[number];

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A string match as one exact value or one RE2 regular expression (for providers without prefix/suffix). */
export function asExactOrRegex(match: StringMatch): { exact: string } | { regex: string } {
  if (match.exact !== undefined) return { exact: match.exact };
  if (match.prefix !== undefined) return { regex: `^${escapeRegex(match.prefix)}.*` };
  if (match.suffix !== undefined) return { regex: `.*${escapeRegex(match.suffix)}$` };
  return { regex: match.regex ?? '.*' };
}

/**
 * Session affinity: the canary's answers set this cookie, and requests that carry it go to the
 * canary. Its value is the run's revision, so a new run never inherits the sessions of an old one.
 */
export function sessionCookie(canary: Canary): { name: string; value: string; setCookie: string } | undefined {
  const affinity = canary.spec.analysis.sessionAffinity;
  const revision = canary.status?.lastAppliedSpec;
  if (!affinity || !revision) return undefined;
  const attributes = [
    `Max-Age=${affinity.maxAge ?? 86_400}`,
    ...(affinity.domain ? [`Domain=${affinity.domain}`] : []),
    `Path=${affinity.path ?? '/'}`,
    ...(affinity.httpOnly ? ['HttpOnly'] : []),
    ...(affinity.secure ? ['Secure'] : []),
    ...(affinity.sameSite ? [`SameSite=${affinity.sameSite}`] : []),
    ...(affinity.partitioned ? ['Partitioned'] : []),
  ];
  return { name: affinity.cookieName, value: revision, setCookie: [`${affinity.cookieName}=${revision}`, ...attributes].join('; ') };
}

/** Percentage of requests mirrored to the canary while mirroring (default all). */
export const mirrorPercent = (canary: Canary) => canary.spec.analysis.mirrorWeight ?? 100;
