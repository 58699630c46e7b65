// Builds the local control plane's binaries with the Go toolchain and caches them by version.
// The first build compiles Kubernetes from source and takes minutes, so it reports progress.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { binarySets, type BinarySet } from './binary-sets.ts';
import { BIN_LINK_DIR, BINARY_CACHE_DIR } from './paths.ts';

export type Progress = (message: string) => void;

export function cacheDirOf(set: BinarySet): string {
  return join(BINARY_CACHE_DIR, `${set.name}-${set.version}`);
}

function isComplete(dir: string, set: BinarySet): boolean {
  return Object.keys(set.binaries).every((binary) => existsSync(join(dir, binary)));
}

async function buildSet(set: BinarySet, progress: Progress): Promise<void> {
  const finalDir = cacheDirOf(set);
  const workDir = `${finalDir}.partial-${process.pid}`;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const names = Object.keys(set.binaries);
  progress(`building ${set.name} ${set.version} (${names.join(', ')}) with ${goBinary()}; the first build takes minutes`);
  const started = Date.now();
  for (const [name, pkg] of Object.entries(set.binaries)) {
    await goBuild(set, pkg, join(workDir, name), (count) =>
      progress(`  ${name}: ${count} packages compiled, ${Math.round((Date.now() - started) / 1000)}s`),
    );
  }
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(workDir, finalDir);
  progress(`built ${set.name} ${set.version} in ${Math.round((Date.now() - started) / 1000)}s → ${finalDir}`);
}

// Go's default install location, for shells whose PATH lacks it.
const FALLBACK_GO = '/usr/local/go/bin/go';

export function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'go')));
  return onPath || !existsSync(FALLBACK_GO) ? 'go' : FALLBACK_GO;
}

function goBuild(set: BinarySet, pkg: string, output: string, onProgress: (packages: number) => void): Promise<void> {
  const ldflags = ['-s', '-w', ...set.ldflags].join(' ');
  const args = ['build', '-v', '-trimpath', `-ldflags=${ldflags}`, '-o', output, pkg];
  return new Promise((resolve, reject) => {
    const child = spawn(goBinary(), args, {
      cwd: set.moduleDir,
      env: { ...process.env, GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let packages = 0;
    let lastReport = Date.now();
    const tail: string[] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        packages += 1;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
      if (Date.now() - lastReport > 20_000) {
        lastReport = Date.now();
        onProgress(packages);
      }
    });
    child.on('error', (error) => reject(new Error(`cannot run ${goBinary()}: ${error.message}; is Go installed?`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`go build ${pkg} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

function linkInto(dir: string, name: string, target: string): void {
  const link = join(dir, name);
  if (existsSync(link) || isDanglingLink(link)) unlinkSync(link);
  symlinkSync(target, link);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Builds what is missing from the cache, links every binary into .wren/bin and returns their paths. */
export async function ensureBinaries(progress: Progress): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  mkdirSync(BIN_LINK_DIR, { recursive: true });
  for (const set of binarySets()) {
    const dir = await ensureBinarySet(set, progress);
    for (const name of Object.keys(set.binaries)) {
      paths[name] = join(dir, name);
      linkInto(BIN_LINK_DIR, name, paths[name]);
    }
  }
  return paths;
}

/** Builds one set unless its cache is complete; returns the directory that holds its binaries. */
export async function ensureBinarySet(set: BinarySet, progress: Progress): Promise<string> {
  const dir = cacheDirOf(set);
  if (!isComplete(dir, set)) await buildSet(set, progress);
  return dir;
}
