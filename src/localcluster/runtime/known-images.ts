// The images the local runtime can run as real processes, and how: the demo app (Wren itself, as
// `wren demo-app`, reporting the image tag as its version) and podinfo (the binary built from its Go
// module, with the container's args exactly as written). Pods of any other image stay with KWOK.
import type { Container } from '../../workload/workload-types.ts';

export type KnownImage = { app: 'demo-app'; tag: string } | { app: 'podinfo'; tag: string };

const REPOSITORIES: Record<string, KnownImage['app']> = {
  'ghcr.io/wren-dev/demo-app': 'demo-app',
  'ghcr.io/stefanprodan/podinfo': 'podinfo',
};

/** Every repository the runtime knows, for the selector that keeps KWOK away from these pods. */
export const KNOWN_REPOSITORIES = Object.keys(REPOSITORIES);

export function knownImage(image: string | undefined): KnownImage | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0] ?? image;
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const repository = (hasTag ? withoutDigest.slice(0, colon) : withoutDigest).replace(/^docker\.io\//, '');
  const app = REPOSITORIES[repository];
  return app ? { app, tag: hasTag ? withoutDigest.slice(colon + 1) : 'latest' } : undefined;
}

/** Whether the runtime (and not KWOK) runs this pod: it has a container of a known image. */
export function runsLocally(containers: readonly object[] | undefined): boolean {
  return (containers ?? []).some((container) => knownImage((container as { image?: string }).image) !== undefined);
}

export interface Executables {
  /** The Node.js binary and Wren's main script, for the demo app. */
  node: string;
  wrenMain: string;
  podinfo: string;
}

export interface ProcessPlan {
  command: string;
  args: string[];
  /** What the image itself sets, before the container's env. */
  imageEnv: Record<string, string>;
}

/** The podinfo image's entrypoint, as its manifests call it. */
const PODINFO_COMMANDS = new Set(['./podinfo', 'podinfo', '/home/app/podinfo']);

/** How to run the container, or why it cannot be run (a kubelet's CreateContainerError). */
export function processPlan(container: Container, executables: Executables): ProcessPlan | { error: string } {
  const image = knownImage(container.image as string | undefined);
  const command = (container.command as string[] | undefined) ?? [];
  const args = (container.args as string[] | undefined) ?? [];
  if (!image) return { error: `image ${String(container.image)} is not one the local runtime can run (${KNOWN_REPOSITORIES.join(', ')})` };
  if (image.app === 'podinfo') {
    if (command.length > 0 && !PODINFO_COMMANDS.has(command[0] as string)) {
      return { error: `command ${JSON.stringify(command[0])} is not in the podinfo image; it has ./podinfo` };
    }
    return { command: executables.podinfo, args: [...command.slice(1), ...args], imageEnv: {} };
  }
  if (command.length > 0) {
    return {
      error: `command ${JSON.stringify(command)} is not in the demo-app image; leave command unset (its entrypoint is the demo app)`,
    };
  }
  return {
    command: executables.node,
    args: [executables.wrenMain, 'demo-app', ...args],
    imageEnv: { DEMO_VERSION: image.tag, PORT: '8080' },
  };
}
