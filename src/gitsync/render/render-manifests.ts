// The render step of a sync: the files at spec.path become objects, each with the file it came from.
// The renderer is the one the spec names, else kustomize when the path holds a kustomization (as
// Flux does), else the plain directory.
import { stat } from 'node:fs/promises';
import type { GitSync } from '../../api/git-sync.ts';
import type { RenderedObject } from '../rendered-object.ts';
import { SyncError } from '../sync-error.ts';
import type { ToolPaths } from '../tool-paths.ts';
import { displayPath, resolveInCheckout } from './checkout-path.ts';
import { renderDirectory } from './directory-render.ts';
import { renderHelmChart } from './helm-render.ts';
import { hasKustomization } from './kustomization-file.ts';
import { renderKustomization } from './kustomize-render.ts';
import { withToolRun } from './tool-process.ts';

export type RenderSpec = NonNullable<GitSync['spec']['render']>;
export type RendererType = NonNullable<RenderSpec['type']>;

export interface RenderInput {
  /** The checked-out repository. */
  root: string;
  /** spec.path; '' is the repository root. */
  path: string;
  render?: RenderSpec;
  tools: ToolPaths;
  /** Time limit of each kustomize or helm run. */
  timeoutMs: number;
  /** Helm's --namespace when render.helm.namespace is unset (the GitSync's target namespace). */
  releaseNamespace: string;
}

export function chooseRenderer(dir: string, render: RenderSpec | undefined): RendererType {
  return render?.type ?? (hasKustomization(dir) ? 'kustomize' : 'directory');
}

export async function renderManifests(input: RenderInput): Promise<RenderedObject[]> {
  const dir = await resolveInCheckout(input.root, input.path || '.', 'path');
  const path = displayPath(input.root, dir) === '.' ? '' : displayPath(input.root, dir);
  if (!(await stat(dir)).isDirectory()) throw new SyncError('render', 'path is a file, not a directory', { file: path });
  const type = chooseRenderer(dir, input.render);
  if (type === 'directory') return renderDirectory(input.root, dir);
  if (type === 'kustomize' && !hasKustomization(dir)) {
    throw new SyncError('render', 'render.type is kustomize but there is no kustomization.yaml', { file: path || '.' });
  }
  return withToolRun(input.root, input.timeoutMs, (tool) =>
    type === 'kustomize'
      ? renderKustomization(tool, input.tools.kustomize, dir, path || '.')
      : renderHelmChart(tool, input.tools.helm, {
          root: input.root,
          chartDir: dir,
          path,
          settings: input.render?.helm ?? {},
          namespace: input.releaseNamespace,
        }),
  );
}
