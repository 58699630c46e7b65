// Counts the requests one client made, from the local API server's audit log (one JSON line per
// finished request, with its user agent).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { AUDIT_LOG_PATH } from '../../src/localcluster/audit.ts';

export interface RequestCounts {
  byVerb: Record<string, number>;
  byVerbAndResource: Record<string, number>;
  total: number;
}

export function auditLogSize(): number {
  return statSync(AUDIT_LOG_PATH).size;
}

/** Requests logged between two byte offsets whose user agent starts with `userAgentPrefix`. */
export function countRequests(fromOffset: number, toOffset: number, userAgentPrefix: string): RequestCounts {
  const length = Math.max(0, toOffset - fromOffset);
  const buffer = Buffer.alloc(length);
  const fd = openSync(AUDIT_LOG_PATH, 'r');
  try {
    readSync(fd, buffer, 0, length, fromOffset);
  } finally {
    closeSync(fd);
  }
  const counts: RequestCounts = { byVerb: {}, byVerbAndResource: {}, total: 0 };
  for (const line of buffer.toString('utf8').split('\n')) {
    if (!line.includes(userAgentPrefix)) continue;
    let entry: { userAgent?: string; verb?: string; requestURI?: string; objectRef?: { resource?: string; subresource?: string } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!entry.userAgent?.startsWith(userAgentPrefix) || !entry.verb) continue;
    const resource = [entry.objectRef?.resource, entry.objectRef?.subresource].filter(Boolean).join('/');
    // A dry-run writes nothing; it is counted under its own verb so write counts stay honest.
    const verb = entry.requestURI?.includes('dryRun=All') ? `${entry.verb}-dry-run` : entry.verb;
    counts.byVerb[verb] = (counts.byVerb[verb] ?? 0) + 1;
    const key = `${verb} ${resource}`;
    counts.byVerbAndResource[key] = (counts.byVerbAndResource[key] ?? 0) + 1;
    counts.total += 1;
  }
  return counts;
}

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
