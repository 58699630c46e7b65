// wren image <subcommand>: steer ImagePolicies. One file per subcommand under image/, loaded only when called.
type Subcommand = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  unquarantine: {
    summary: 'let an ImagePolicy choose again a tag it quarantined after its canary failed',
    load: () => import('./image/unquarantine.ts'),
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, { summary }]) => `  ${name.padEnd(13)} ${summary}`);
  return `usage: wren image <subcommand> [flags]\n\nsubcommands:\n${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const subcommand = SUBCOMMANDS[name];
  if (!subcommand) {
    process.stderr.write(`wren image: unknown subcommand "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await subcommand.load()).run(rest);
}
