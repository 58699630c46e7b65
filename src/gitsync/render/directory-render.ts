// The "directory" renderer: every manifest file under a path, as plain objects. Files are read in
// sorted order so the same commit always yields the same list, whatever the file system returns.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RenderedObject } from '../rendered-object.ts';
import { checkSymlinkTarget, displayPath } from './checkout-path.ts';
import { isKustomizationFile } from './kustomization-file.ts';
import { parseJsonManifest, parseYamlManifests } from './manifest-documents.ts';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

const isManifestName = (name: string) => MANIFEST_EXTENSIONS.has(extname(name));

/**
 * Manifest files under `dir` (absolute paths), skipping hidden files and directories (.git, .github)
 * and kustomization files: those configure kustomize and are never cluster objects, so in a plain
 * directory they are left out rather than failing the sync. Symlinks are followed only inside the
 * checkout.
 */
export async function manifestFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  // Real paths of the directories entered, so a symlink loop inside the repository ends.
  const entered = new Set<string>();
  const walk = async (current: string): Promise<void> => {
    const real = await checkSymlinkTarget(root, current);
    if (entered.has(real)) return;
    entered.add(real);
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || isKustomizationFile(entry.name)) continue;
      const path = join(current, entry.name);
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        // A link to a README or a binary is not ours to judge; only links we would read are checked.
        if (!isManifestName(entry.name) && !target?.isDirectory()) continue;
        await checkSymlinkTarget(root, path);
        isDirectory = Boolean(target?.isDirectory());
      }
      if (isDirectory) await walk(path);
      else if (isManifestName(entry.name)) files.push(path);
    }
  };
  await walk(dir);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function renderDirectory(root: string, dir: string): Promise<RenderedObject[]> {
  const rendered: RenderedObject[] = [];
  for (const path of await manifestFiles(root, dir)) {
    const source = displayPath(root, path);
    const text = await readFile(path, 'utf8');
    const objects = extname(path) === '.json' ? parseJsonManifest(text, source) : parseYamlManifests(text, source).map((doc) => doc.object);
    for (const object of objects) rendered.push({ object, source });
  }
  return rendered;
}
