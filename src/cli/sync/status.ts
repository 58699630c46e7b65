// wren sync status [NAME]: the GitSyncs of a namespace at a glance, or one in detail with its history.
import type { GitSync } from '../../api/git-sync.ts';
import { GIT_SYNCS } from '../../kube/resource-types.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { table } from '../table.ts';
import { describeGitSync, SUMMARY_HEADER, summaryRow } from './status-view.ts';
import { PROGRAM } from '../program-name.ts';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    'all-namespaces': { type: 'boolean', short: 'A' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`usage: ${PROGRAM} sync status [NAME] [-n NAMESPACE | -A] [--kubeconfig PATH]\n`);
    return 0;
  }
  const { client, namespace } = connect(values);
  const now = new Date();
  const [name] = positionals;
  if (name) {
    process.stdout.write(describeGitSync(await client.get<GitSync>(GIT_SYNCS, namespace, name), now));
    return 0;
  }
  const all = values['all-namespaces'] === true;
  const { items } = await client.list<GitSync>(GIT_SYNCS, all ? undefined : namespace);
  if (items.length === 0) {
    process.stdout.write(`no gitsyncs${all ? '' : ` in namespace ${namespace}`}\n`);
    return 0;
  }
  const header = [...(all ? ['NAMESPACE'] : []), ...SUMMARY_HEADER];
  process.stdout.write(
    `${table(
      header,
      items.map((gitSync) => summaryRow(gitSync, now, all)),
    ).join('\n')}\n`,
  );
  return 0;
}
