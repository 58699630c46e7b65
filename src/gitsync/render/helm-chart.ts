// What the render step needs to know about a chart before running helm: its name, and whether every
// dependency is vendored. Wren renders without network, so a dependency that `helm dependency build`
// would download is reported as a repository problem, not left to a confusing helm error.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SyncError } from '../sync-error.ts';

export interface ChartFacts {
  name: string;
}

interface Dependency {
  name?: unknown;
  repository?: unknown;
}

function isVendored(chartDir: string, name: string): boolean {
  const charts = join(chartDir, 'charts');
  if (existsSync(join(charts, name, 'Chart.yaml'))) return true;
  return existsSync(charts) && readdirSync(charts).some((entry) => entry.startsWith(`${name}-`) && entry.endsWith('.tgz'));
}

export async function readChart(chartDir: string, path: string): Promise<ChartFacts> {
  const file = `${path === '' ? '' : `${path}/`}Chart.yaml`;
  let chart: { name?: unknown; dependencies?: Dependency[] };
  try {
    chart = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8')) ?? {};
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no Chart.yaml: not a Helm chart' : (error as Error).message;
    throw new SyncError('render', reason, { file });
  }
  for (const dependency of chart.dependencies ?? []) {
    const name = String(dependency.name ?? '');
    if (!isVendored(chartDir, name)) {
      throw new SyncError(
        'render',
        `dependency ${name} (${String(dependency.repository ?? 'no repository')}) is not vendored in charts/; ` +
          'Wren renders without network, so run `helm dependency build` and commit charts/',
        { file },
      );
    }
  }
  return { name: typeof chart.name === 'string' ? chart.name : '' };
}
