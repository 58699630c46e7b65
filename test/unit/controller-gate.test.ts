// The controller's shard gate, with a reconciler that records the keys it is given (a fake: the
// gate is pure queue logic, the shard Leases behind it are tested on the control plane).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Controller } from '../../src/kube/controller.ts';
import { OperatorMetrics } from '../../src/server/metrics.ts';

function recordingController() {
  const reconciled: string[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const controller = new Controller(
    {
      kind: 'Canary',
      reconcile: async (key) => {
        reconciled.push(key);
        if (key.endsWith('/slow')) await held;
      },
    },
    { workers: 2, metrics: new OperatorMetrics(), log: pino({ level: 'silent' }) },
  );
  return { controller, reconciled, release };
}

/** Waits (a few ms at a time) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a gated controller reconciles only the keys it owns, and tells which keys are in progress', async () => {
  const { controller, reconciled, release } = recordingController();
  let owned = new Set(['team-a']);
  controller.gate((key) => owned.has(key.split('/')[0] ?? ''));
  controller.start();
  for (const key of ['team-a/web', 'team-b/web', 'team-a/slow']) controller.enqueue(key);
  // Keys are taken in order: once the last one is reconciling, the one before it was dropped.
  await until(() => reconciled.includes('team-a/slow'));
  assert.deepEqual(reconciled.sort(), ['team-a/slow', 'team-a/web']);
  assert.deepEqual(controller.inProgress, ['team-a/slow'], 'the slow reconcile is still running');

  // Gaining team-b: its key, dropped before, is reconciled once it is queued again.
  owned = new Set(['team-a', 'team-b']);
  controller.enqueue('team-b/web');
  await until(() => reconciled.includes('team-b/web'));
  release();
  await controller.stop();
  assert.deepEqual(controller.inProgress, []);
});
