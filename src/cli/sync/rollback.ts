// wren sync rollback NAME [REVISION]: hold the cluster at an earlier revision of the history. The
// controller stops following spec.ref until `wren sync resume` clears spec.rollbackTo.
import type { GitSync } from '../../api/git-sync.ts';
import { GIT_SYNCS } from '../../kube/resource-types.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { describeRef, shortRevision } from './revision.ts';
import { pickRollbackRevision } from '../../gitsync/rollback-revision.ts';
import { PROGRAM } from '../program-name.ts';

const USAGE = `usage: ${PROGRAM} sync rollback NAME [REVISION] [-n NAMESPACE] [--kubeconfig PATH]

REVISION is a commit (or its prefix) from the history that wren sync status NAME shows; without it,
the newest successful revision before the applied one. Auto-sync stays paused until wren sync resume.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, { help: { type: 'boolean', short: 'h' } });
  const [name, wanted] = positionals;
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const { client, namespace } = connect(values);
  const gitSync = await client.get<GitSync>(GIT_SYNCS, namespace, name);
  const pick = pickRollbackRevision(gitSync, wanted);
  if ('error' in pick) {
    process.stderr.write(`wren sync rollback: ${pick.error}\n`);
    return 1;
  }
  if (!/^[0-9a-f]{7,40}$/.test(pick.revision)) {
    process.stderr.write(`wren sync rollback: history revision "${pick.revision}" is not a commit SHA; cannot roll back to it\n`);
    return 1;
  }
  await client.mergePatch(GIT_SYNCS, namespace, name, { spec: { rollbackTo: pick.revision } });
  process.stdout.write(
    `gitsync ${namespace}/${name} rolled back to ${shortRevision(pick.revision)} (${pick.revision})\n` +
      `auto-sync is paused until \`wren sync resume ${name} -n ${namespace}\`, which follows ${describeRef(gitSync.spec.ref)} again\n`,
  );
  return 0;
}
