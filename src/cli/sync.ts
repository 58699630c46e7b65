// wren sync <subcommand>: look at GitSyncs and steer them: sync now, roll back, resume, create or update.
// One file per subcommand under sync/, loaded only when called.
type Subcommand = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  status: { summary: 'show GitSyncs: revision, sync and health; one in detail with its history', load: () => import('./sync/status.ts') },
  now: { summary: 'sync a GitSync now, fetching the remote again (--wait: until done)', load: () => import('./sync/now.ts') },
  rollback: {
    summary: 'hold a GitSync at an earlier revision from its history; pauses auto-sync',
    load: () => import('./sync/rollback.ts'),
  },
  resume: { summary: "end a rollback: follow the GitSync's ref again", load: () => import('./sync/resume.ts') },
  upsert: { summary: 'create a GitSync or update the fields given as flags', load: () => import('./sync/upsert.ts') },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`);
  return `usage: wren sync <subcommand> [flags]\n\nsubcommands:\n${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const subcommand = SUBCOMMANDS[name];
  if (!subcommand) {
    process.stderr.write(`wren sync: unknown subcommand "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await subcommand.load()).run(rest);
}
