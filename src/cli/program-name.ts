// The name a person typed to run the CLI, for its usage lines: `kubectl wren` when kubectl runs it as
// its plugin (the executable kubectl-wren, see kubectl-wren.ts), `wren` otherwise.
import { basename } from 'node:path';

export const programName = (entry = process.argv[1] ?? ''): string =>
  basename(entry).startsWith('kubectl-wren') ? 'kubectl wren' : 'wren';

export const PROGRAM = programName();
