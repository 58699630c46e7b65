// Paths that come from the GitSync spec or from the repository itself must stay inside the checkout:
// a "../" or a symlink to /var/run/secrets would otherwise let a repository read the operator's
// files into manifests that get applied to the cluster.
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SyncError } from '../sync-error.ts';

function isWithin(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest));
}

/** The path relative to the checkout root, with "/" separators, as users see it in status. */
export function displayPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/') || '.';
}

/**
 * The absolute path of `path` (relative to the checkout root), refusing anything that leaves the
 * checkout by name or by symlink. `what` names the field in the error ("path", "values file").
 */
export async function resolveInCheckout(root: string, path: string, what: string): Promise<string> {
  const absolute = resolve(root, path);
  if (isAbsolute(path) || !isWithin(root, absolute)) {
    throw new SyncError('render', `${what} ${JSON.stringify(path)} points outside the repository`, { file: path });
  }
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    throw new SyncError('render', `${what} ${JSON.stringify(path)} does not exist in the repository`, { file: path });
  }
  if (!isWithin(await realpath(root), real)) {
    throw new SyncError('render', `${what} ${JSON.stringify(path)} is a symlink to outside the repository`, { file: path });
  }
  return absolute;
}

/** Refuses a symlink (found while walking the checkout) whose target is outside it. */
export async function checkSymlinkTarget(root: string, link: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(link);
  } catch {
    throw new SyncError('render', 'broken symlink', { file: displayPath(root, link) });
  }
  if (!isWithin(await realpath(root), real)) {
    throw new SyncError('render', 'symlink to outside the repository', { file: displayPath(root, link) });
  }
  return real;
}

/**
 * Refuses a directory that holds a symlink to outside the checkout. Helm follows symlinks in a chart
 * (.Files.Get would read the operator's service account token into a ConfigMap), so a chart is
 * checked before helm reads it.
 */
export async function checkSymlinksUnder(root: string, dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isSymbolicLink()) await checkSymlinkTarget(root, join(entry.parentPath, entry.name));
  }
}
