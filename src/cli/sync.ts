// wren sync <subcommand>: look at GitSyncs and steer them: sync now, roll back, resume, create or update.
// One file per subcommand under sync/, loaded only when called.
import { runSubcommand, type Subcommand } from './subcommands.ts';

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

export function run(args: string[]): Promise<number> {
  return runSubcommand('sync', SUBCOMMANDS, args);
}
