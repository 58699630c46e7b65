// One revision of a GitSync, from Git to the objects to apply: check out the commit, render it,
// decrypt SOPS values, substitute variables, fill in placeholders, override images, place objects in
// the target namespace. The checkout is deleted as soon as rendering ends; decrypted values only
// ever exist in memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitSync } from '../api/git-sync.ts';
import { overrideImages } from './render/override-images.ts';
import { KUSTOMIZATION_FILE_NAMES } from './render/kustomization-file.ts';
import { renderManifests } from './render/render-manifests.ts';
import { substituteVariables } from './render/substitute-variables.ts';
import { applyTargetNamespace } from './render/target-namespace.ts';
import type { RenderedObject } from './rendered-object.ts';
import { decryptSopsObjects } from './secrets/decrypt-sops-objects.ts';
import { resolvePlaceholders } from './secrets/resolve-placeholders.ts';
import type { GitRepositories } from './source/repositories.ts';
import { SyncError } from './sync-error.ts';
import type { SyncInputs } from './sync-inputs.ts';
import type { ToolPaths } from './tool-paths.ts';

export interface RenderedRevision {
  /** The full commit SHA that was rendered. */
  commit: string;
  objects: RenderedObject[];
}

const isEncrypted = ({ object }: RenderedObject) => typeof object.sops === 'object' && object.sops !== null;

export class RenderPipeline {
  private readonly repositories: GitRepositories;
  private readonly tools: ToolPaths;
  private readonly workDir: string;

  constructor(repositories: GitRepositories, tools: ToolPaths, workDir: string) {
    this.repositories = repositories;
    this.tools = tools;
    this.workDir = workDir;
  }

  async render(sync: GitSync, commit: string, inputs: SyncInputs, timeoutMs: number): Promise<RenderedRevision> {
    const spec = sync.spec;
    const namespace = sync.metadata?.namespace ?? 'default';
    const checkout = await mkdtemp(join(this.workDir, 'checkout-'));
    try {
      // Only a kustomization (or an explicit kustomize render) may read outside spec.path.
      const scope = spec.render?.type === 'kustomize' ? undefined : { path: spec.path ?? '', needsWholeTreeWhen: KUSTOMIZATION_FILE_NAMES };
      const fullCommit = await this.repositories.checkout(spec.url, spec.ref, commit, inputs.credentials, checkout, scope);
      let objects = await renderManifests({
        root: checkout,
        path: spec.path ?? '',
        ...(spec.render ? { render: spec.render } : {}),
        tools: this.tools,
        timeoutMs,
        releaseNamespace: spec.targetNamespace ?? namespace,
      });
      const encrypted = objects.find(isEncrypted);
      if (encrypted && !spec.decryption) {
        throw new SyncError('decrypt', 'the object is SOPS-encrypted but spec.decryption is not set', { file: encrypted.source });
      }
      if (encrypted)
        objects = await decryptSopsObjects(objects, { root: checkout, ageKeys: inputs.ageKeys, sops: this.tools.sops, timeoutMs });
      if (spec.postBuild) objects = substituteVariables(objects, inputs.variables);
      if (inputs.placeholders) objects = await resolvePlaceholders(objects, inputs.placeholders);
      if (spec.images?.length) objects = overrideImages(objects, spec.images);
      if (spec.targetNamespace) objects = applyTargetNamespace(objects, spec.targetNamespace);
      return { commit: fullCommit, objects };
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  }
}
