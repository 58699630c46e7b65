// The built-in metric templates (analysis-templates/*.yaml), read once: shipped with Wren, so a
// Canary's request-success-rate works without anything installed in the cluster.
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { MetricTemplate } from '../api/metric-template.ts';

const DIRECTORY = new URL('../../analysis-templates/', import.meta.url);

export function loadBuiltinTemplates(directory: URL = DIRECTORY): Map<string, MetricTemplate> {
  const templates = new Map<string, MetricTemplate>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')) {
    for (const document of parseAllDocuments(readFileSync(new URL(file, directory), 'utf8'))) {
      const template = document.toJS() as MetricTemplate | null;
      if (template?.kind === 'MetricTemplate' && template.metadata?.name) templates.set(template.metadata.name, template);
    }
  }
  return templates;
}

export const builtinTemplateName = (metric: string, provider: string) => `${metric}-${provider}`;
