// wren wait --revision SHA (--gitsync NAME | --canary NAME): for CI, waits until a commit is applied
// and every canary run it started has ended, follows the GitSync or Canary from a watch, prints each
// canary's verdict with the checks that failed, and exits 0 (succeeded), 1 (failed) or 2 (no verdict
// within --timeout).
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { CANARIES, GIT_SYNCS } from '../kube/resource-types.ts';
import { matchingRevisions, parseRevision, revisionsOfCanary, revisionsOfGitSync } from '../release/revision-match.ts';
import { canaryRevisionVerdict, gitSyncRevisionVerdict, type RevisionVerdict } from '../release/revision-verdict.ts';
import { connect, parseCommand } from './kube-flags.ts';
import { ObjectGone, followObject } from './object-watch.ts';
import { renderVerdict } from './revision-view.ts';
import { parseTimeout } from './wait-for-status.ts';
import { PROGRAM } from './program-name.ts';

const USAGE = `usage: ${PROGRAM} wait --revision SHA (--gitsync NAME | --canary NAME) [-n NAMESPACE] [--timeout D] [--kubeconfig PATH]

  Waits until the commit has been applied and every canary run it started has ended, then prints
  each canary's verdict and the checks that failed.

  --revision SHA   the commit, 7 to 40 hex digits
  --gitsync NAME   the GitSync that delivers it (judges every canary the commit changed)
  --canary NAME    only this Canary: its run of the commit must end
  --timeout D      give up after D (e.g. 15m, 90s)

  exit 0: applied and every canary succeeded (or had nothing to release)
  exit 1: a canary failed or was superseded by a later commit, or the sync of the commit failed
  exit 2: no verdict within --timeout (or bad flags)
`;

interface Watched {
  kind: 'gitsync' | 'canary';
  namespace: string;
  name: string;
}

/** The canaries whose failed runs the verdict should show checks of, read once the verdict is final. */
async function failedCanaries(client: KubeClient, verdict: RevisionVerdict): Promise<Canary[]> {
  const failed = verdict.canaries.filter((canary) => canary.state === 'failed' && canary.reason !== 'Superseded');
  const found = await Promise.all(
    failed.map(async ({ canary }) => {
      const [namespace, name] = canary.split('/') as [string, string];
      try {
        return [await client.get<Canary>(CANARIES, namespace, name)];
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    }),
  );
  return found.flat();
}

/** The last verdict seen before it was final or `stop` aborted; a refusal when the revision is ambiguous. */
async function waitForVerdict(
  client: KubeClient,
  revision: string,
  watched: Watched,
  stop: AbortSignal,
): Promise<{ verdict?: RevisionVerdict; ambiguous?: string }> {
  let verdict: RevisionVerdict | undefined;
  let ambiguous: string[] = [];
  let gitSync: GitSync | undefined;
  let shown = '';
  await followObject<GitSync | Canary>(
    client,
    watched.kind === 'gitsync' ? GIT_SYNCS : CANARIES,
    watched.namespace,
    watched.name,
    (object) => {
      if (watched.kind === 'gitsync') gitSync = object as GitSync;
      ambiguous = matchingRevisions(revision, gitSync ? revisionsOfGitSync(gitSync) : revisionsOfCanary(object as Canary));
      if (ambiguous.length > 1) return true;
      verdict = gitSync ? gitSyncRevisionVerdict(revision, gitSync) : canaryRevisionVerdict(revision, object as Canary);
      if (verdict.state !== 'pending') return true;
      if (verdict.message !== shown) process.stdout.write(`waiting: ${verdict.message}\n`);
      shown = verdict.message;
      return false;
    },
    stop,
  );
  if (ambiguous.length > 1) {
    return { ambiguous: `--revision ${revision} abbreviates ${ambiguous.length} commits (${ambiguous.join(', ')}): give more digits` };
  }
  // The GitSync's entries say how each run ended; the Canaries still hold the checks of a failed one.
  if (gitSync && verdict?.state === 'failed')
    return { verdict: gitSyncRevisionVerdict(revision, gitSync, await failedCanaries(client, verdict)) };
  return verdict ? { verdict } : {};
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    revision: { type: 'string' },
    gitsync: { type: 'string' },
    canary: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const refuse = (problem: string) => {
    process.stderr.write(`${problem}\n\n${USAGE}`);
    return 2;
  };
  const revision = parseRevision(values.revision);
  if (!revision) {
    return refuse(
      values.revision === undefined
        ? '--revision is required'
        : `--revision ${JSON.stringify(values.revision)}: give a commit SHA, 7 to 40 hex digits`,
    );
  }
  if ((values.gitsync === undefined) === (values.canary === undefined)) return refuse('give one of --gitsync NAME and --canary NAME');
  let timeoutMs: number | undefined;
  try {
    timeoutMs = values.timeout === undefined ? undefined : parseTimeout(values.timeout, 0);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const { client, namespace } = connect(values);
  const watched: Watched =
    values.gitsync !== undefined
      ? { kind: 'gitsync', namespace, name: values.gitsync }
      : { kind: 'canary', namespace, name: values.canary ?? '' };

  const timedOut = timeoutMs === undefined ? new AbortController().signal : AbortSignal.timeout(timeoutMs);
  let outcome: { verdict?: RevisionVerdict; ambiguous?: string };
  try {
    outcome = await waitForVerdict(client, revision, watched, timedOut);
  } catch (error) {
    if (!(error instanceof ObjectGone)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const { verdict, ambiguous } = outcome;
  if (ambiguous) {
    process.stderr.write(`${ambiguous}\n`);
    return 2;
  }
  if (!verdict || verdict.state === 'pending') {
    process.stderr.write(`no verdict for ${revision} within ${values.timeout}${verdict ? `: ${verdict.message}` : ''}\n`);
    return 2;
  }
  process.stdout.write(renderVerdict(verdict));
  return verdict.state === 'succeeded' ? 0 : 1;
}
