import { stringify } from 'yaml';
import { toCustomResourceDefinition } from './crd.ts';
import { WREN_KINDS } from './kinds.ts';

const HEADER = '# Generated from src/api by `npm run gen:crds`. Do not edit by hand.\n';

/** The content of every file in crds/, by file name. */
export function renderCrdFiles(): Map<string, string> {
  const files = renderChartCrdFiles();
  const resources = [...files.keys()].map((name) => `  - ${name}`).join('\n');
  files.set('kustomization.yaml', `${HEADER}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources}\n`);
  return files;
}

/** The content of every file in the Helm chart's crds/: the same CRDs, without the kustomization
 * (Helm installs every YAML file there as a CRD). */
export function renderChartCrdFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const definition of WREN_KINDS) {
    const crd = toCustomResourceDefinition(definition);
    files.set(`${definition.plural}.yaml`, HEADER + stringify(crd, { lineWidth: 0 }));
  }
  return files;
}
