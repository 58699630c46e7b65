// Addresses of the local data plane: one host bridge with a private /16 that exists only on this
// machine (nothing is routed off it), one address per pod. Pure: the runtime asks, and records the
// answer in the pod's status, which is where a restarted runtime finds it again.
export const POD_SUBNET_PREFIX = '10.244';
export const BRIDGE_ADDRESS = '10.244.0.1';
export const POD_SUBNET_BITS = 16;
export const BRIDGE_NAME = 'wren0';

const FIRST = 2; // .0.0 is the network, .0.1 the bridge
const LAST = 65534; // .255.255 is the broadcast address

function ipOf(offset: number): string {
  return `${POD_SUBNET_PREFIX}.${Math.floor(offset / 256)}.${offset % 256}`;
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

export function inPodSubnet(ip: string | undefined): boolean {
  return ip !== undefined && ip.startsWith(`${POD_SUBNET_PREFIX}.`) && ip !== BRIDGE_ADDRESS;
}

/** The pod's address: where its uid hashes to, or the next free one after it. */
export function allocatePodIp(uid: string, used: ReadonlySet<string>): string {
  const span = LAST - FIRST + 1;
  const start = hashOf(uid) % span;
  for (let step = 0; step < span; step++) {
    const ip = ipOf(FIRST + ((start + step) % span));
    if (!used.has(ip)) return ip;
  }
  throw new Error(`no free pod address left in ${POD_SUBNET_PREFIX}.0.0/${POD_SUBNET_BITS}`);
}

/** Names the kernel accepts: network namespaces and host-side veth ends are derived from the pod uid. */
export function podNetworkNames(uid: string): { namespace: string; hostVeth: string } {
  const short = uid.replace(/-/g, '').slice(0, 10);
  return { namespace: `wren-pod-${short}`, hostVeth: `wv${short}` };
}
