// Which shard an object belongs to, and which live replica a shard belongs to. The first is fixed
// (objects never move between shards); the second is rendezvous (highest random weight) hashing,
// so a replica joining or leaving moves only the shards it gains or held.
import { createHash } from 'node:crypto';

/** A stable 48-bit number for a text (the first six bytes of its SHA-256). */
function hash48(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6);
}

/** The shard of every object in a namespace: objects are sharded by namespace. */
export function shardOf(namespace: string, shards: number): number {
  return hash48(`namespace/${namespace}`) % shards;
}

/** The namespace of a work-queue key ("namespace/name"; cluster-scoped keys have none). */
export function namespaceOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** The shard of a work-queue key's object. */
export function shardOfKey(key: string, shards: number): number {
  return shardOf(namespaceOfKey(key), shards);
}

/** The replica that should hold a shard: the one with the highest weight for it; ties go to the smaller name. */
export function shardOwner(shard: number, replicas: readonly string[]): string | undefined {
  let best: { replica: string; weight: number } | undefined;
  for (const replica of replicas) {
    const weight = hash48(`${replica}/${shard}`);
    if (!best || weight > best.weight || (weight === best.weight && replica < best.replica)) best = { replica, weight };
  }
  return best?.replica;
}
