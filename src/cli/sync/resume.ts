// wren sync resume NAME: end a rollback, so the GitSync follows spec.ref again from its next sync.
import type { GitSync } from '../../api/git-sync.ts';
import { GIT_SYNCS } from '../../kube/resource-types.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { describeRef, shortRevision } from './revision.ts';
import { PROGRAM } from '../program-name.ts';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, { help: { type: 'boolean', short: 'h' } });
  const [name] = positionals;
  if (values.help || !name) {
    process.stdout.write(`usage: ${PROGRAM} sync resume NAME [-n NAMESPACE] [--kubeconfig PATH]\n`);
    return values.help ? 0 : 2;
  }
  const { client, namespace } = connect(values);
  const gitSync = await client.get<GitSync>(GIT_SYNCS, namespace, name);
  const heldAt = gitSync.spec.rollbackTo;
  if (!heldAt) {
    process.stdout.write(`gitsync ${namespace}/${name} is not paused by a rollback; nothing to resume\n`);
    return 0;
  }
  await client.mergePatch(GIT_SYNCS, namespace, name, { spec: { rollbackTo: null } });
  process.stdout.write(
    `gitsync ${namespace}/${name} resumed: no longer held at ${shortRevision(heldAt)}, follows ${describeRef(gitSync.spec.ref)} again\n`,
  );
  return 0;
}
