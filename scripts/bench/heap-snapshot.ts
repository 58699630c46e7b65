// Where a running operator's heap goes: a snapshot taken on a signal (node --heapsnapshot-signal,
// which collects garbage first, so only live objects count), summed by what the objects are.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const HEAP_SNAPSHOT_SIGNAL = 'SIGUSR2';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  what: string;
  count: number;
  bytes: number;
}

/** Live bytes by node type and constructor name (self sizes), largest first. */
export function heapGroups(snapshot: Snapshot): { total: number; groups: HeapGroup[] } {
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const byWhat = new Map<string, HeapGroup>();
  let total = 0;
  for (let index = 0; index < snapshot.nodes.length; index += width) {
    const type = types[snapshot.nodes[index + typeAt] as number] ?? 'unknown';
    const bytes = snapshot.nodes[index + sizeAt] as number;
    // Strings, code and arrays are grouped by type; objects and closures by constructor or function name.
    const what =
      type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[index + nameAt] as number]}` : `(${type})`;
    const group = byWhat.get(what) ?? { what, count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += bytes;
    byWhat.set(what, group);
    total += bytes;
  }
  return { total, groups: [...byWhat.values()].sort((a, b) => b.bytes - a.bytes) };
}

/** Sends the signal, waits for the snapshot file in `dir` to be written out, reads it and deletes it. */
export async function takeHeapSnapshot(pid: number, dir: string): Promise<Snapshot> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, HEAP_SNAPSHOT_SIGNAL);
  for (;;) {
    await sleep(1000);
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (!file) continue;
    const path = join(dir, file);
    const size = statSync(path).size;
    await sleep(2000);
    if (statSync(path).size !== size || size === 0) continue;
    try {
      const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
      rmSync(path);
      return snapshot;
    } catch {
      // Still being written.
    }
  }
}
