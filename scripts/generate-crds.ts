// Writes crds/ from the schemas in src/api. A unit test fails when crds/ is stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { renderCrdFiles } from '../src/api/crd-files.ts';

const dir = new URL('../crds/', import.meta.url);
mkdirSync(dir, { recursive: true });
const files = renderCrdFiles();
for (const existing of readdirSync(dir)) {
  if (!files.has(existing)) rmSync(new URL(existing, dir));
}
for (const [name, content] of files) writeFileSync(new URL(name, dir), content);
console.log(`wrote ${files.size} files to crds/`);
