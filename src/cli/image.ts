// wren image <subcommand>: steer ImagePolicies. One file per subcommand under image/, loaded only when called.
import { runSubcommand, type Subcommand } from './subcommands.ts';

const SUBCOMMANDS: Record<string, Subcommand> = {
  unquarantine: {
    summary: 'let an ImagePolicy choose again a tag it quarantined after its canary failed',
    load: () => import('./image/unquarantine.ts'),
  },
};

export function run(args: string[]): Promise<number> {
  return runSubcommand('image', SUBCOMMANDS, args);
}
