// The files of one write-back: every YAML file under the write-back path that carries a setter marker
// of the policy, and the kustomization and Helm values files the policy names. Each file is edited
// in memory by the byte-preserving editors and written only when it changed. Paths stay inside the
// work tree: symlinks are neither followed nor written through.
import { lstat, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { commentTokens } from './writeback/comment-tokens.ts';
import type { EditResult } from './writeback/edit-result.ts';
import { updateHelmValues, type HelmValuesKey } from './writeback/helm-values.ts';
import type { ImageChoice, ImagePart } from './writeback/image-choice.ts';
import { updateKustomizationImages } from './writeback/kustomization-images.ts';
import { readSetterMarker } from './writeback/setter-marker.ts';
import { updateSetterMarkers } from './writeback/setters.ts';
import { WriteBackError } from './writeback/write-back-error.ts';

export interface WriteBackTargets {
  /** Directory, relative to the work tree. */
  path: string;
  choice: ImageChoice;
  kustomization?: { file?: string; imageName?: string };
  helmValues?: { file: string; key: string; part: ImagePart }[];
}

export interface FileEdits {
  /** Files changed, relative to the work tree. */
  files: string[];
  /** Places that name the policy, whether or not they needed a change. */
  targets: number;
  problems: string[];
}

const YAML_FILE = /\.ya?ml$/i;
const MAX_FILES = 10_000;

export async function editWriteBackFiles(workTree: string, targets: WriteBackTargets): Promise<FileEdits> {
  const root = await insideWorkTree(workTree, targets.path || '.', 'spec.writeBack.path');
  const contents = new Map<string, { before: string; text: string }>();
  const problems: string[] = [];
  let found = 0;
  const edit = async (file: string, editor: (text: string) => EditResult) => {
    const rel = relative(workTree, file);
    let entry = contents.get(rel);
    if (!entry) {
      const before = await readFile(file, 'utf8');
      entry = { before, text: before };
    }
    let result: EditResult;
    try {
      result = editor(entry.text);
    } catch (error) {
      throw error instanceof WriteBackError ? error.inFile(rel) : error;
    }
    entry.text = result.text;
    contents.set(rel, entry);
    problems.push(...result.problems.map((problem) => `${rel}: ${problem}`));
    return result;
  };

  for (const file of await yamlFiles(root)) {
    const text = await readFile(file, 'utf8');
    const markers = countMarkers(text, targets.choice.policy);
    if (markers === 0) continue;
    found += markers;
    contents.set(relative(workTree, file), { before: text, text });
    await edit(file, (current) => updateSetterMarkers(current, [targets.choice]));
  }
  if (targets.kustomization) {
    const file = await insideWorkTree(
      root,
      targets.kustomization.file ?? 'kustomization.yaml',
      'spec.writeBack.kustomization.file',
      workTree,
    );
    const result = await edit(file, (current) =>
      updateKustomizationImages(current, targets.choice, targets.kustomization?.imageName ?? targets.choice.repository),
    );
    if (!result.problems.some((problem) => problem.startsWith('no images: entry'))) found += 1;
  }
  const byFile = new Map<string, HelmValuesKey[]>();
  for (const key of targets.helmValues ?? []) byFile.set(key.file, [...(byFile.get(key.file) ?? []), { path: key.key, part: key.part }]);
  for (const [name, keys] of byFile) {
    const file = await insideWorkTree(root, name, 'spec.writeBack.helmValues[].file', workTree);
    await edit(file, (current) => updateHelmValues(current, targets.choice, keys));
    found += keys.length; // a missing key throws
  }

  const files: string[] = [];
  for (const [rel, { before, text }] of contents) {
    if (text === before) continue;
    await writeFile(join(workTree, rel), text);
    files.push(rel);
  }
  return { files: files.sort(), targets: found, problems };
}

function countMarkers(text: string, policy: string): number {
  if (!text.includes('$imagepolicy')) return 0;
  let count = 0;
  for (const comment of commentTokens(text).values()) {
    const reading = readSetterMarker(comment);
    if (reading.kind === 'marker' && reading.policy === policy) count += 1;
  }
  return count;
}

/** A path under `base` that exists, is no symlink, and resolves inside the work tree. */
export async function insideWorkTree(base: string, path: string, field: string, workTree = base): Promise<string> {
  const target = resolve(base, path);
  const tree = await realpath(workTree);
  const within = (candidate: string) => candidate === tree || candidate.startsWith(tree + sep);
  if (!within(resolve(tree, relative(workTree, target)))) throw new WriteBackError(`${field} ${path} leaves the repository`);
  const stats = await lstat(target).catch(() => undefined);
  if (!stats) throw new WriteBackError(`${field} ${path} does not exist in the repository`);
  if (stats.isSymbolicLink()) throw new WriteBackError(`${field} ${path} is a symlink; write-back does not follow symlinks`);
  if (!within(await realpath(target))) throw new WriteBackError(`${field} ${path} leaves the repository`);
  return target;
}

export async function yamlFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (found.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue; // .git and other tool directories
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) found.push(path);
    }
  };
  if ((await lstat(root)).isDirectory()) await walk(root);
  return found.sort();
}
