// Reads the Grafana dashboard in charts/wren/dashboards: its panels' queries with Grafana's variables
// put in, the metric names they mention, and the names an operator's /metrics exposition exports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_PATH = fileURLToPath(new URL('../../charts/wren/dashboards/wren.json', import.meta.url));

export interface DashboardTarget {
  refId: string;
  expr: string;
  instant?: boolean;
  format?: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

export interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: { name: string; type: string; query: unknown; definition?: string; allValue?: string }[] };
}

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as Dashboard;
}

/** Every panel that is not a row, each with the title of the row it sits under. */
export function queryPanels(dashboard: Dashboard): { row: string; panel: DashboardPanel }[] {
  const found: { row: string; panel: DashboardPanel }[] = [];
  let row = '';
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      row = panel.title;
      for (const inner of panel.panels ?? []) found.push({ row, panel: inner });
    } else found.push({ row, panel });
  }
  return found;
}

/** Grafana's built-in interval variables, as a dashboard over the last hour with a 1 s scrape would get them. */
const BUILT_INS: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/** The query as Grafana would send it: $name, ${name} and [[name]] replaced; an unknown variable is an error. */
export function substitute(expr: string, variables: Record<string, string>): string {
  const values = { ...BUILT_INS, ...variables };
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (match, braced?: string, bracketed?: string, bare?: string) => {
    const name = braced ?? bracketed ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`the query ${JSON.stringify(expr)} uses the variable ${match}, which the test does not know`);
    return value;
  });
}

/** The wren_* metric names a query mentions. */
export function wrenMetricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bwren_[a-zA-Z0-9_:]*/g) ?? [])];
}

/**
 * The series names an exposition exports, from its TYPE lines (so a metric that has no sample yet
 * counts too): a histogram exports name_bucket, name_sum and name_count; a summary name, _sum, _count.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = line.match(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)/);
    if (!match) continue;
    const [, name, type] = match as unknown as [string, string, string];
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${name}${suffix}`);
    else names.add(name);
  }
  return names;
}
