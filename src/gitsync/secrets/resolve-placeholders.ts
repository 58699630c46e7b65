// The placeholder step of a sync: fills in every rendered object, reading each path once per sync, and
// reports the first object that cannot be filled as SyncError('placeholders') naming file and object.
import { describeObject, type RenderedObject } from '../rendered-object.ts';
import { SyncError } from '../sync-error.ts';
import type { PlaceholderBackend } from './placeholder-backend.ts';
import { substitutePlaceholders } from './placeholders.ts';

export async function resolvePlaceholders(objects: RenderedObject[], backend: PlaceholderBackend): Promise<RenderedObject[]> {
  const once = readOncePerSync(backend);
  const result: RenderedObject[] = [];
  for (const rendered of objects) {
    try {
      result.push({ ...rendered, object: await substitutePlaceholders(rendered.object, once) });
    } catch (error) {
      throw new SyncError('placeholders', (error as Error).message, { file: rendered.source, object: describeObject(rendered.object) });
    }
  }
  return result;
}

/** Memoises reads for one sync only, so a value changed in the store is picked up by the next sync. */
export function readOncePerSync(backend: PlaceholderBackend): PlaceholderBackend {
  const reads = new Map<string, Promise<Record<string, unknown>>>();
  return {
    read(path, version, options) {
      const key = JSON.stringify([path, version ?? '', options?.kvVersion ?? '']);
      let pending = reads.get(key);
      if (!pending) {
        pending = backend.read(path, version, options);
        reads.set(key, pending);
      }
      return pending;
    },
  };
}
