// The file names kustomize looks for in a directory; their presence makes a path a kustomization.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(basename(path));
}

export function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.some((name) => existsSync(join(dir, name)));
}
