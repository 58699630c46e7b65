#!/usr/bin/env node
// The wren command: one file per subcommand, loaded only when called.
import { PROGRAM } from './program-name.ts';

const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  operator: { summary: 'run the operator (embedded local cluster when no kubeconfig)', load: () => import('./operator.ts') },
  version: { summary: 'print the version', load: () => import('./version.ts') },
  status: { summary: 'show canaries: phase, weight, checks and recent events', load: () => import('./status.ts') },
  promote: { summary: 'continue past a pause or promote a canary now (--full: skip all steps)', load: () => import('./promote.ts') },
  abort: { summary: 'roll back the current canary release now', load: () => import('./abort.ts') },
  retry: { summary: 'run a failed canary revision again', load: () => import('./retry.ts') },
  wait: {
    summary: 'for CI: wait until a commit is applied and its canaries end; exit 0 succeeded, 1 failed, 2 timeout',
    load: () => import('./wait.ts'),
  },
  sync: { summary: 'GitSyncs: status | now | rollback | resume | upsert', load: () => import('./sync.ts') },
  image: { summary: 'ImagePolicies: unquarantine', load: () => import('./image.ts') },
  loadtester: { summary: 'run the webhook load tester (gates, load generation, allowed commands)', load: () => import('./loadtester.ts') },
  'demo-app': { summary: 'run the demo app (answers with its version; faults from the environment)', load: () => import('./demo-app.ts') },
  cluster: { summary: 'the embedded local cluster: up | down | info | logs | kubeconfig', load: () => import('./cluster.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return `usage: ${PROGRAM} <command> [flags]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`wren: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`wren: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
