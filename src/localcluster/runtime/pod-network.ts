// The local data plane's network, made with iproute2: one bridge on the host holding the first
// address of the pods' private /16, and per pod a network namespace with one end of a veth pair as
// its eth0 and the pod's address. The host reaches every pod through the bridge; nothing is routed
// off the machine, and no address outside the /16 is used.
import { runCommand, runChecked } from '../run-command.ts';
import { BRIDGE_ADDRESS, BRIDGE_NAME, POD_SUBNET_BITS, podNetworkNames } from './pod-network-plan.ts';

const POD_NAMESPACE_PREFIX = 'wren-pod-';

async function ip(args: string[]): Promise<string> {
  return runChecked('ip', args);
}

async function ipQuiet(args: string[]): Promise<boolean> {
  return (await runCommand('ip', args).catch(() => ({ code: 1 }))).code === 0;
}

/** Why this machine cannot run pods in network namespaces, or undefined when it can. */
export async function networkUnavailable(): Promise<string | undefined> {
  const probe = `${POD_NAMESPACE_PREFIX}probe-${process.pid}`;
  try {
    const added = await runCommand('ip', ['netns', 'add', probe]);
    if (added.code !== 0) return `ip netns add: ${added.stderr.trim() || `exit ${added.code}`}`;
    await runCommand('ip', ['netns', 'delete', probe]);
    return undefined;
  } catch (error) {
    return `cannot run ip (iproute2): ${(error as Error).message}`;
  }
}

export async function ensureBridge(): Promise<void> {
  if (!(await ipQuiet(['link', 'show', BRIDGE_NAME]))) await ip(['link', 'add', BRIDGE_NAME, 'type', 'bridge']);
  const addresses = await ip(['-o', 'addr', 'show', 'dev', BRIDGE_NAME]);
  if (!addresses.includes(`${BRIDGE_ADDRESS}/${POD_SUBNET_BITS}`)) {
    await ip(['addr', 'add', `${BRIDGE_ADDRESS}/${POD_SUBNET_BITS}`, 'dev', BRIDGE_NAME]);
  }
  await ip(['link', 'set', BRIDGE_NAME, 'up']);
}

/** The pod's namespace with eth0 at `podIP` behind the bridge; made again from scratch if it exists. */
export async function attachPod(uid: string, podIP: string): Promise<string> {
  const { namespace, hostVeth } = podNetworkNames(uid);
  await detachPod(uid);
  const peer = `${hostVeth}p`;
  await ip(['netns', 'add', namespace]);
  await ip(['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', peer]);
  await ip(['link', 'set', peer, 'netns', namespace]);
  await ip(['link', 'set', hostVeth, 'master', BRIDGE_NAME, 'up']);
  const inPod = (args: string[]) => ip(['-n', namespace, ...args]);
  await inPod(['link', 'set', 'lo', 'up']);
  await inPod(['link', 'set', peer, 'name', 'eth0']);
  await inPod(['addr', 'add', `${podIP}/${POD_SUBNET_BITS}`, 'dev', 'eth0']);
  await inPod(['link', 'set', 'eth0', 'up']);
  await inPod(['route', 'add', 'default', 'via', BRIDGE_ADDRESS]);
  return namespace;
}

/** Removes the pod's namespace (its veth end goes with it) and the host end, if they exist. */
export async function detachPod(uid: string): Promise<void> {
  const { namespace, hostVeth } = podNetworkNames(uid);
  if (await ipQuiet(['netns', 'pids', namespace])) await runCommand('ip', ['netns', 'delete', namespace]);
  if (await ipQuiet(['link', 'show', hostVeth])) await runCommand('ip', ['link', 'delete', hostVeth]);
}

/** Every pod namespace, bridge and address the data plane made: what `wren cluster down` removes. */
export async function leftovers(): Promise<{ namespaces: string[]; links: string[] }> {
  const namespaces = (await runCommand('ip', ['netns', 'list']).catch(() => ({ stdout: '' }))).stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(POD_NAMESPACE_PREFIX));
  const links = (await runCommand('ip', ['-o', 'link', 'show']).catch(() => ({ stdout: '' }))).stdout
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1] ?? '')
    .filter((name) => name === BRIDGE_NAME || /^wv[0-9a-f]{10}$/.test(name));
  return { namespaces, links };
}

/** Processes still running in a pod namespace (after a crash of the runtime, say). */
export async function podProcesses(namespace: string): Promise<number[]> {
  const { stdout } = await runCommand('ip', ['netns', 'pids', namespace]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

/** Removes everything `leftovers` lists, killing what still runs in a pod namespace first. */
export async function removeNetwork(): Promise<void> {
  const { namespaces, links } = await leftovers();
  for (const namespace of namespaces) {
    for (const pid of await podProcesses(namespace)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await runCommand('ip', ['netns', 'delete', namespace]);
  }
  for (const link of links) await runCommand('ip', ['link', 'delete', link]);
}
