// The dispatch of a command with subcommands (wren sync ..., wren image ...): usage, help, an unknown
// name refused with exit 2, and each subcommand's file loaded only when called.
import { PROGRAM } from './program-name.ts';

export type Subcommand = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

export async function runSubcommand(command: string, subcommands: Record<string, Subcommand>, args: string[]): Promise<number> {
  const width = Math.max(...Object.keys(subcommands).map((name) => name.length)) + 1;
  const lines = Object.entries(subcommands).map(([name, { summary }]) => `  ${name.padEnd(width)} ${summary}`);
  const usage = `usage: ${PROGRAM} ${command} <subcommand> [flags]\n\nsubcommands:\n${lines.join('\n')}\n`;
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name ? 0 : 2;
  }
  const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!subcommand) {
    process.stderr.write(`${PROGRAM} ${command}: unknown subcommand "${name}"\n\n${usage}`);
    return 2;
  }
  return (await subcommand.load()).run(rest);
}
