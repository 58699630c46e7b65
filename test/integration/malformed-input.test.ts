// The malformed-input drill: a few hundred generated invalid Canaries, GitSyncs and ImagePolicies (and
// a few MetricTemplates and AlertProviders) go to one operator while it releases a valid canary.
// Each must be refused by the API server (422, naming the field) or reported by the operator
// (Ready=False, the expected reason, a message naming the field); the operator must stay up, log no
// error and no stack, and promote the valid canary meanwhile.
//
// A failure names the seed and the cases; WREN_MALFORMED_SEED=<seed> WREN_MALFORMED_CASES=cn-017,gs-003
// replays exactly those (the generator is deterministic per seed and case).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Condition } from '../../src/api/conditions.ts';
import { isNotFound, KubeApiError } from '../../src/kube/api-error.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, type ResourceType } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, getDeployment, imageOf, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { startContainerRegistry } from '../helpers/container-registry.ts';
import { malformedCases, type MalformedCase } from '../helpers/malformed-objects.ts';
import { operatorFor, type LogLine } from '../helpers/operator-process.ts';

const DEFAULT_SEED = 20_260_611;
const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';
const CREATE_CONCURRENCY = 24;
/** A safety net against a hang, not a claim about speed. */
const REPORT_DEADLINE_MS = 120_000;

type WithStatus = KubeObject & { status?: { conditions?: Condition[] } };

/** The field as a whole word of the message: spec.analysis must not match inside spec.analysis.stepWeight. */
function namesField(message: string | undefined, field: string): boolean {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s(;"'])${escaped}(?=[\\s:);,"']|$)`).test(message ?? '');
}

const short = (text: string | undefined, max = 300) =>
  text === undefined ? '(none)' : text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;

/** A stack trace anywhere in a log line: the operator let an error escape or logged one carelessly. */
function hasStack(line: LogLine): boolean {
  return /\n\s+at \S/.test(JSON.stringify(line).replace(/\\n/g, '\n')) || /^\s*at \S+.*:\d+:\d+\)?$/.test(line.msg ?? '');
}

interface Outcome {
  problems: string[];
  /** Cases the operator must still report on, by type. */
  pending: Map<ResourceType, Map<string, MalformedCase>>;
  /** Per kind: cases the API server refused as expected, and cases the operator reported as expected. */
  refused: Map<string, number>;
  reported: Map<string, number>;
}

const count = (counts: Map<string, number>, kind: string) => counts.set(kind, (counts.get(kind) ?? 0) + 1);

async function createCase(cluster: TestCluster, item: MalformedCase, outcome: Outcome): Promise<void> {
  const label = `${item.id} (${item.object.kind}: ${item.what})`;
  let error: unknown;
  try {
    await cluster.client.create(item.type, item.object);
  } catch (failure) {
    error = failure;
  }
  const { expected } = item;
  if (expected.by === 'api-server') {
    if (error === undefined) {
      outcome.problems.push(`${label}: the API server accepted it; expected 422 naming ${expected.field}`);
      return;
    }
    if (!(error instanceof KubeApiError) || error.statusCode !== 422) {
      outcome.problems.push(`${label}: expected 422 naming ${expected.field}, got ${short(String(error))}`);
      return;
    }
    const fields = (error.status?.details?.causes ?? []).map((cause) => cause.field ?? '');
    if (!fields.includes(expected.field)) {
      outcome.problems.push(`${label}: refused (422), but the causes name ${JSON.stringify(fields)}, not ${expected.field}`);
      return;
    }
    count(outcome.refused, item.object.kind as string);
    return;
  }
  if (error !== undefined) {
    outcome.problems.push(
      `${label}: expected the operator to report ${expected.reason} naming ${expected.field}, but create failed: ${short(String(error))}`,
    );
    return;
  }
  const pending = outcome.pending.get(item.type) ?? new Map<string, MalformedCase>();
  pending.set(item.object.metadata?.name as string, item);
  outcome.pending.set(item.type, pending);
}

async function createAll(cluster: TestCluster, cases: MalformedCase[], outcome: Outcome): Promise<void> {
  for (let start = 0; start < cases.length; start += CREATE_CONCURRENCY) {
    await Promise.all(cases.slice(start, start + CREATE_CONCURRENCY).map((item) => createCase(cluster, item, outcome)));
  }
}

/**
 * One poll loop over list calls (one per kind that still has cases pending) until every case shows
 * its expected Ready condition, or the deadline passes; returns what the unsettled ones showed last.
 */
async function waitForReports(cluster: TestCluster, namespace: string, outcome: Outcome): Promise<Map<string, string>> {
  const lastSeen = new Map<string, string>();
  const deadline = Date.now() + REPORT_DEADLINE_MS;
  while ([...outcome.pending.values()].some((pending) => pending.size > 0) && Date.now() < deadline) {
    for (const [type, pending] of outcome.pending) {
      if (pending.size === 0) continue;
      const list = await cluster.client.list<WithStatus>(type, namespace);
      for (const object of list.items) {
        const item = pending.get(object.metadata?.name ?? '');
        if (!item || item.expected.by !== 'operator') continue;
        const ready = object.status?.conditions?.find((condition) => condition.type === 'Ready');
        if (ready?.status === 'False' && ready.reason === item.expected.reason && namesField(ready.message, item.expected.field)) {
          pending.delete(item.object.metadata?.name as string);
          lastSeen.delete(item.id);
          count(outcome.reported, type.kind);
        } else {
          lastSeen.set(item.id, ready ? `Ready=${ready.status} ${ready.reason}: ${short(ready.message)}` : 'no Ready condition');
        }
      }
    }
    await sleep(1_000);
  }
  return lastSeen;
}

test('hundreds of malformed Canaries, GitSyncs, ImagePolicies, MetricTemplates and AlertProviders are each refused with 422 or reported Ready=False with the expected reason naming the field, while one operator stays up, logs no error or stack, and promotes a valid canary', async (t) => {
  const seed = Number(process.env.WREN_MALFORMED_SEED ?? DEFAULT_SEED);
  const only = process.env.WREN_MALFORMED_CASES?.split(',').map((id) => id.trim());
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'malformed');
  const registry = await startContainerRegistry();
  t.after(() => registry.close());
  await registry.pushImage('malformed/app', '1.0.0');
  // Canaries that pass validation find this target and go on to their references; none may touch it.
  const existing = appDeployment('existing', namespace, V1);
  await cluster.client.create(DEPLOYMENTS, { ...existing, spec: { ...existing.spec, replicas: 0 } });

  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  let exitCode: number | null | undefined;
  void operator.exited.then((code) => (exitCode = code));
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, {}));

  const all = malformedCases(seed, { namespace, existingDeployment: 'existing', scannableImage: `${registry.host}/malformed/app` });
  const cases = only ? all.filter((item) => only.includes(item.id)) : all;
  assert.ok(cases.length > 0, `no case matches WREN_MALFORMED_CASES=${only?.join(',')}`);
  const outcome: Outcome = { problems: [], pending: new Map(), refused: new Map(), reported: new Map() };

  // Half before the new revision, half while it is analysed and promoted.
  const half = Math.ceil(cases.length / 2);
  await createAll(cluster, cases.slice(0, half), outcome);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const succeeded = waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 150_000);
  succeeded.catch(() => undefined);
  await createAll(cluster, cases.slice(half), outcome);
  const unsettled = await waitForReports(cluster, namespace, outcome);
  for (const [type, pending] of outcome.pending) {
    for (const item of pending.values()) {
      if (item.expected.by !== 'operator') continue;
      outcome.problems.push(
        `${item.id} (${type.kind}: ${item.what}): expected Ready=False ${item.expected.reason} naming ${item.expected.field}; last seen ${unsettled.get(item.id) ?? 'nothing'}`,
      );
    }
  }

  const byKind = new Map<string, number>();
  for (const item of cases) count(byKind, item.object.kind as string);
  for (const [kind, total] of byKind) {
    const refused = outcome.refused.get(kind) ?? 0;
    const reported = outcome.reported.get(kind) ?? 0;
    t.diagnostic(`${kind}: ${total} cases; ${refused} refused by the API server, ${reported} reported by the operator as expected`);
  }

  // The operator first: when it died or threw, that explains every case it did not report.
  assert.equal(exitCode, undefined, `the operator exited (${exitCode}): ${operator.tail()}`);
  assert.ok(operator.running, 'the operator is still running');
  const errors = operator.logs.filter(
    (line) => line.level === 'error' || line.level === 'fatal' || line.level === 'stderr' || hasStack(line),
  );
  assert.deepEqual(
    errors.map((line) => short(JSON.stringify(line), 600)),
    [],
    'the operator logged errors, stack traces or anything on stderr',
  );
  const caseKeys = new Set(cases.map((item) => `${namespace}/${item.object.metadata?.name}`));
  const failedReconciles = operator.logs.filter((line) => line.msg === 'reconcile failed; will retry' && caseKeys.has(String(line.key)));
  assert.deepEqual(
    failedReconciles.map((line) => short(JSON.stringify(line), 600)),
    [],
    'reconciling a malformed object failed instead of reporting it',
  );

  const failedIds = outcome.problems.map((problem) => problem.split(' ')[0]).join(',');
  assert.deepEqual(
    outcome.problems,
    [],
    `seed ${seed}: ${outcome.problems.length} of ${cases.length} cases went wrong; replay with WREN_MALFORMED_SEED=${seed} WREN_MALFORMED_CASES=${failedIds}`,
  );

  await succeeded;
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2, 'the valid canary was promoted');
  await assert.rejects(
    getDeployment(cluster, namespace, 'existing-primary'),
    isNotFound,
    'no malformed Canary got as far as taking over its target',
  );
});
