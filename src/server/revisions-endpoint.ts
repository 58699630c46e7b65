// GET /api/v1/revisions/SHA[?gitsync=ns/name | ?canary=ns/name]: the verdict of a commit, for CI
// systems that cannot run `wren wait`. It reads the operator's watch caches only (every replica keeps
// them warm, so a standby answers as the leader does) and asks the API server nothing.
// Mount with app.use('/api/v1/revisions', createRevisionsRouter(...)).
import express, { type Router } from 'express';
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import { matchingRevisions, parseRevision, revisionsOfCanary, revisionsOfGitSync } from '../release/revision-match.ts';
import { canaryRevisionVerdict, gitSyncRevisionVerdict, revisionVerdict, type RevisionVerdict } from '../release/revision-verdict.ts';

export interface RevisionSources {
  gitSyncs(): GitSync[];
  canaries(): Canary[];
  /** Undefined once both caches are filled; otherwise why the answer would be incomplete. */
  notReadyReason(): string | undefined;
}

export interface RevisionAnswer {
  status: number;
  body: RevisionVerdict | { revision?: string; error: string; message: string; matches?: string[] };
}

type Query = Record<string, unknown>;

const OBJECT_REF = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

const idOf = (object: { metadata?: { namespace?: string; name?: string } }) => `${object.metadata?.namespace}/${object.metadata?.name}`;

const refusal = (
  status: number,
  error: string,
  message: string,
  extra: { revision?: string; matches?: string[] } = {},
): RevisionAnswer => ({
  status,
  body: { ...extra, error, message },
});

/** The answer to one request: pure, given what the caches hold. */
export function revisionAnswer(text: string, query: Query, sources: RevisionSources): RevisionAnswer {
  const revision = parseRevision(text);
  if (!revision) return refusal(400, 'InvalidRevision', `revision ${JSON.stringify(text)}: give a commit SHA, 7 to 40 hex digits`);
  const selectors = (['gitsync', 'canary'] as const).filter((key) => query[key] !== undefined);
  const [selector] = selectors;
  if (selectors.length > 1) return refusal(400, 'InvalidQuery', 'give at most one of ?gitsync=namespace/name and ?canary=namespace/name');
  const wanted = selector ? query[selector] : undefined;
  if (selector && (typeof wanted !== 'string' || !OBJECT_REF.test(wanted))) {
    return refusal(400, 'InvalidQuery', `?${selector}=${JSON.stringify(wanted)}: give namespace/name`);
  }
  const notReady = sources.notReadyReason();
  if (notReady) return refusal(503, 'NotReady', `the operator's caches are not filled yet: ${notReady}`, { revision });

  const gitSyncs = selector === 'canary' ? [] : sources.gitSyncs().filter((sync) => !selector || idOf(sync) === wanted);
  const canaries =
    selector === 'gitsync' ? sources.canaries() : sources.canaries().filter((canary) => selector !== 'canary' || idOf(canary) === wanted);
  if (selector === 'gitsync' && gitSyncs.length === 0) return refusal(404, 'GitSyncNotFound', `gitsync ${wanted} not found`, { revision });
  if (selector === 'canary' && canaries.length === 0) return refusal(404, 'CanaryNotFound', `canary ${wanted} not found`, { revision });

  const recorded = [...gitSyncs.flatMap(revisionsOfGitSync), ...(selector === 'gitsync' ? [] : canaries.flatMap(revisionsOfCanary))];
  const matches = matchingRevisions(revision, recorded);
  if (matches.length > 1) {
    return refusal(400, 'AmbiguousRevision', `revision ${revision} abbreviates ${matches.length} commits: give more digits`, {
      revision,
      matches,
    });
  }
  // Named: its verdict, pending while it has not seen the commit, as `wren wait` says.
  if (selector === 'gitsync') return { status: 200, body: gitSyncRevisionVerdict(revision, gitSyncs[0] as GitSync, canaries) };
  if (selector === 'canary') return { status: 200, body: canaryRevisionVerdict(revision, canaries[0] as Canary) };
  const verdict = revisionVerdict(revision, gitSyncs, canaries);
  if (!verdict) return refusal(404, 'UnknownRevision', `no GitSync or Canary knows revision ${revision} (yet)`, { revision });
  return { status: 200, body: verdict };
}

export function createRevisionsRouter(sources: RevisionSources): Router {
  const router = express.Router();
  router.get('/:revision', (request, response) => {
    const answer = revisionAnswer(request.params.revision ?? '', request.query as Query, sources);
    response.status(answer.status).json(answer.body);
  });
  return router;
}
