// The dashboard's browser modules are plain JavaScript that tsc does not compile: copy them next to
// the compiled server code (dist/server/dashboard/ui), where static-files.ts serves them from.
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/server/dashboard/ui/', import.meta.url));
const to = fileURLToPath(new URL('../dist/server/dashboard/ui/', import.meta.url));
cpSync(from, to, { recursive: true });
