// Whether the version the registry scan picked must be written back: pure. A write-back is
// idempotent (files that already hold the version produce no commit), so when in doubt it runs.
import { findCondition, type Condition } from '../api/conditions.ts';

export interface ImageVersion {
  tag: string;
  digest?: string;
}

export interface WriteBackFacts {
  latest: ImageVersion;
  chosen: ImageVersion | undefined;
  /** The digest is part of the version (digest policy, or pinDigest). */
  digestMatters: boolean;
  generation: number | undefined;
  observedGeneration: number | undefined;
  conditions: Condition[] | undefined;
}

/** Reasons of a Ready=False that a new attempt may clear. */
const RETRIED = new Set(['WriteBackFailed', 'GitSyncNotFound', 'NoWriteBackTarget']);

export function needsWriteBack(facts: WriteBackFacts): boolean {
  const { latest, chosen } = facts;
  if (!chosen || chosen.tag !== latest.tag) return true;
  if (facts.digestMatters && chosen.digest !== latest.digest) return true;
  if (facts.generation !== facts.observedGeneration) return true;
  const ready = findCondition(facts.conditions, 'Ready');
  return ready?.status === 'False' && RETRIED.has(ready.reason);
}
