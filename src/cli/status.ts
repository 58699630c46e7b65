// wren status [NAME]: the canaries of a namespace at a glance, or one canary in detail with its
// recent checks and events, so a user sees why a step failed without reading YAML.
import type { Canary } from '../api/canary.ts';
import { scheduleOf } from '../canary/schedule.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CANARIES, EVENTS } from '../kube/resource-types.ts';
import { connect, parseCommand } from './kube-flags.ts';
import { parseDuration } from '../api/duration.ts';
import { watchRelease } from './watch-release.ts';
import { age, table } from './table.ts';
import { PROGRAM } from './program-name.ts';

interface Event extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
}

function summaryRow(canary: Canary, now: Date, withNamespace: boolean): string[] {
  const status = canary.status ?? {};
  const steps = scheduleOf(canary.spec.analysis).length;
  const step = (status.currentStep ?? -1) >= 0 ? `${(status.currentStep ?? 0) + 1}/${steps}` : '-';
  return [
    ...(withNamespace ? [canary.metadata?.namespace ?? ''] : []),
    canary.metadata?.name ?? '',
    status.phase || 'Initializing',
    `${status.canaryWeight ?? 0}%`,
    step,
    `${status.failedChecks ?? 0}/${canary.spec.analysis.threshold}`,
    age(status.lastTransitionTime, now),
    status.reason ?? '',
  ];
}

export function describeCanary(canary: Canary, events: Event[], now: Date): string {
  const status = canary.status ?? {};
  const steps = scheduleOf(canary.spec.analysis);
  const lines = [
    `Canary ${canary.metadata?.namespace}/${canary.metadata?.name}`,
    `  Phase:       ${status.phase || 'Initializing'}${status.reason ? ` (${status.reason}, ${age(status.lastTransitionTime, now)} ago)` : ''}`,
    `  Message:     ${status.message ?? ''}`,
    `  Target:      ${canary.spec.targetRef.kind} ${canary.spec.targetRef.name}, revision ${status.lastAppliedSpec ?? '-'} (primary runs ${status.lastPromotedSpec ?? '-'})`,
    `  Traffic:     ${status.canaryWeight ?? 0}% to the canary, step ${(status.currentStep ?? -1) + 1} of ${steps.length}, ${status.iterations ?? 0} checks passed, ${status.failedChecks ?? 0} of ${canary.spec.analysis.threshold} failures allowed`,
  ];
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (ready && ready.status !== 'True') lines.push(`  Not ready:   ${ready.reason}: ${ready.message ?? ''}`);
  const checks = status.checks ?? [];
  lines.push('', 'Checks (newest first):');
  if (checks.length === 0) lines.push('  none yet');
  else {
    const rows = checks.map((check) => [
      age(check.time, now),
      check.name,
      check.kind,
      check.passed ? 'pass' : `FAIL${check.reason ? ` (${check.reason})` : ''}`,
      check.value === undefined ? '' : String(check.value),
      check.threshold ?? '',
      check.message ?? '',
    ]);
    lines.push(...table(['AGE', 'NAME', 'KIND', 'RESULT', 'VALUE', 'THRESHOLD', 'MESSAGE'], rows).map((line) => `  ${line}`));
    const queries = checks.filter((check) => check.query).slice(0, 3);
    for (const check of queries) lines.push(`  query of ${check.name}: ${check.query}`);
  }
  lines.push('', 'Events:');
  const recent = events
    .sort((a, b) => Date.parse(b.lastTimestamp ?? b.eventTime ?? '') - Date.parse(a.lastTimestamp ?? a.eventTime ?? ''))
    .slice(0, 10);
  if (recent.length === 0) lines.push('  none');
  else {
    const rows = recent.map((event) => [
      age(event.lastTimestamp ?? event.eventTime, now),
      event.type ?? '',
      event.reason ?? '',
      event.message ?? '',
    ]);
    lines.push(...table(['AGE', 'TYPE', 'REASON', 'MESSAGE'], rows).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

const USAGE = `usage: ${PROGRAM} status [NAME] [-n NAMESPACE | -A] [--kubeconfig PATH]
       ${PROGRAM} status NAME --watch [--until-done [--timeout DURATION]]

  NAME           one canary in detail: checks, queries and events
  -w, --watch    follow the release live: phase, weight, each check's latest value (from a watch)
  --until-done   follow until the release ends; exit 0 when it succeeded, 1 when it failed
                 (once no pod of the failed version is left)
  --timeout D    with --until-done: give up after D (e.g. 15m) and exit 2
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    'all-namespaces': { type: 'boolean', short: 'A' },
    watch: { type: 'boolean', short: 'w' },
    'until-done': { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [name] = positionals;
  const watching = values.watch === true || values['until-done'] === true;
  if (values.help || (watching && !name)) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout);
  if (values.timeout !== undefined && (!timeoutMs || values['until-done'] !== true)) {
    process.stderr.write(`--timeout ${JSON.stringify(values.timeout)}: give a duration such as 15m, with --until-done\n`);
    return 2;
  }
  const { client, namespace } = connect(values);
  const now = new Date();
  if (name && watching) return watchRelease(client, namespace, name, values['until-done'] === true, timeoutMs);
  if (name) {
    const canary = await client.get<Canary>(CANARIES, namespace, name);
    const events = await client.list<Event>(EVENTS, namespace, { fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}` });
    process.stdout.write(describeCanary(canary, events.items, now));
    return 0;
  }
  const all = values['all-namespaces'] === true;
  const { items } = await client.list<Canary>(CANARIES, all ? undefined : namespace);
  if (items.length === 0) {
    process.stdout.write(`no canaries${all ? '' : ` in namespace ${namespace}`}\n`);
    return 0;
  }
  const header = [...(all ? ['NAMESPACE'] : []), 'NAME', 'PHASE', 'WEIGHT', 'STEP', 'FAILED', 'SINCE', 'REASON'];
  process.stdout.write(
    `${table(
      header,
      items.map((canary) => summaryRow(canary, now, all)),
    ).join('\n')}\n`,
  );
  return 0;
}
