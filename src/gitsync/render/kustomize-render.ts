// The "kustomize" renderer: `kustomize build` of the path. Files stay inside the kustomization
// (LoadRestrictionsRootOnly), and nothing that runs code is enabled: no plugins, exec or container
// functions, no helmCharts inflation. Those would let a repository run programs inside the operator.
import type { RenderedObject } from '../rendered-object.ts';
import { parseYamlManifests } from './manifest-documents.ts';
import type { ToolRun } from './tool-process.ts';

export async function renderKustomization(tool: ToolRun, kustomize: string, dir: string, path: string): Promise<RenderedObject[]> {
  const output = await tool.run(kustomize, ['build', dir, '--load-restrictor', 'LoadRestrictionsRootOnly'], path);
  const source = `kustomize build ${path}`;
  return parseYamlManifests(output, source).map(({ object }) => ({ object, source }));
}
