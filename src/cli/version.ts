import { VERSION } from '../version.ts';

export async function run(): Promise<number> {
  process.stdout.write(`wren ${VERSION} (node ${process.versions.node})\n`);
  return 0;
}
