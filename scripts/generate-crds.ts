// Writes crds/ and the Helm chart's charts/wren/crds/ from the schemas in src/api. A unit test fails
// when either is stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { renderChartCrdFiles, renderCrdFiles } from '../src/api/crd-files.ts';

function writeDir(relative: string, files: Map<string, string>): void {
  const dir = new URL(`../${relative}`, import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const existing of readdirSync(dir)) {
    if (!files.has(existing)) rmSync(new URL(existing, dir));
  }
  for (const [name, content] of files) writeFileSync(new URL(name, dir), content);
  console.log(`wrote ${files.size} files to ${relative}`);
}

writeDir('crds/', renderCrdFiles());
writeDir('charts/wren/crds/', renderChartCrdFiles());
