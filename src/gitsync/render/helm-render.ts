// The "helm" renderer: `helm template` of a chart in the repository, offline. Values files come from
// the checkout only; inline values are written to a private file and win over the values files, the
// way Flux layers `values` over `valuesFrom`.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GitSync } from '../../api/git-sync.ts';
import type { RenderedObject } from '../rendered-object.ts';
import { checkSymlinksUnder, resolveInCheckout } from './checkout-path.ts';
import { readChart } from './helm-chart.ts';
import { parseYamlManifests } from './manifest-documents.ts';
import type { ToolRun } from './tool-process.ts';

export type HelmSettings = NonNullable<NonNullable<GitSync['spec']['render']>['helm']>;

export interface HelmRenderInput {
  root: string;
  /** The chart directory (absolute) and its path in the repository ('' = root). */
  chartDir: string;
  path: string;
  settings: HelmSettings;
  namespace: string;
}

const SOURCE_COMMENT = /^# Source: (\S.*)$/m;

/**
 * Helm marks each document with the template it came from ("# Source: app/templates/deploy.yaml",
 * first segment the chart's name); rewritten to the file's path in the repository.
 */
export function templateSource(leadingComment: string, chartName: string, path: string): string | undefined {
  const template = SOURCE_COMMENT.exec(leadingComment)?.[1]?.trim();
  if (!template) return undefined;
  const inChart = template.startsWith(`${chartName}/`) ? template.slice(chartName.length + 1) : template;
  return path === '' ? inChart : `${path}/${inChart}`;
}

async function valuesArguments(tool: ToolRun, input: HelmRenderInput): Promise<string[]> {
  const args: string[] = [];
  for (const file of input.settings.valuesFiles ?? []) {
    args.push('--values', await resolveInCheckout(input.root, join(input.path, file), 'values file'));
  }
  if (input.settings.values && Object.keys(input.settings.values).length > 0) {
    const inline = join(tool.home, 'inline-values.yaml');
    // JSON is YAML, and keeps every value's type exactly as the GitSync spec holds it.
    await writeFile(inline, JSON.stringify(input.settings.values), { mode: 0o600 });
    args.push('--values', inline);
  }
  return args;
}

export async function renderHelmChart(tool: ToolRun, helm: string, input: HelmRenderInput): Promise<RenderedObject[]> {
  await checkSymlinksUnder(input.root, input.chartDir);
  const chart = await readChart(input.chartDir, input.path);
  const releaseName = input.settings.releaseName || (input.path === '' ? chart.name : basename(input.path));
  const args = [
    'template',
    releaseName,
    input.chartDir,
    '--namespace',
    input.settings.namespace || input.namespace,
    // A GitOps install owns the chart's CRDs too; `helm install` would create them, so must we.
    '--include-crds',
    // Test pods are for `helm test`; applying them would run them on every sync.
    '--skip-tests',
    ...(await valuesArguments(tool, input)),
  ];
  const output = await tool.run(helm, args, input.path || '.');
  const fallback = `helm template ${input.path || '.'}`;
  return parseYamlManifests(output, fallback).map(({ object, leadingComment }) => ({
    object,
    source: templateSource(leadingComment, chart.name, input.path) ?? fallback,
  }));
}
