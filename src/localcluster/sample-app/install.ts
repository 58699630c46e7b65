// Installs the sample release on the embedded cluster, once: objects that exist are left as they
// are (a restart never undoes a release the user shipped). Writes the release patches and a `wren`
// launcher next to the built binaries, so the printed next steps work as written.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlreadyExists } from '../../kube/api-error.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { CANARIES, DEPLOYMENTS, NAMESPACES, type ResourceType } from '../../kube/resource-types.ts';
import { INGRESS_ROUTES } from '../../routing/route-types.ts';
import { BIN_LINK_DIR, STATE_DIR } from '../paths.ts';
import { SAMPLE_RELEASES, sampleAppObjects } from './manifests.ts';

export const SAMPLE_PATCH_DIR = join(STATE_DIR, 'sample-app');

const TYPES: Record<string, ResourceType> = {
  Namespace: NAMESPACES,
  Deployment: DEPLOYMENTS,
  Canary: CANARIES,
  IngressRoute: INGRESS_ROUTES,
};

/** Creates what is missing; returns the kinds it created. */
export async function installSampleApp(client: KubeClient): Promise<string[]> {
  const created: string[] = [];
  for (const object of sampleAppObjects() as KubeObject[]) {
    const type = TYPES[object.kind ?? ''];
    if (!type) throw new Error(`the sample app has an object of unknown kind ${object.kind}`);
    try {
      await client.create(type, object);
      created.push(object.kind as string);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
  return created;
}

/** The release patches of the next steps, and `wren` on the PATH they export. */
export function writeSampleTools(wrenMain: string): void {
  mkdirSync(SAMPLE_PATCH_DIR, { recursive: true });
  for (const [file, patch] of Object.entries(SAMPLE_RELEASES)) writeFileSync(join(SAMPLE_PATCH_DIR, file), stringify(patch));
  mkdirSync(BIN_LINK_DIR, { recursive: true });
  const launcher = join(BIN_LINK_DIR, 'wren');
  writeFileSync(launcher, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(wrenMain)} "$@"\n`);
  chmodSync(launcher, 0o755);
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
