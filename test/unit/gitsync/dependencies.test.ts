import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitSync } from '../../../src/api/git-sync.ts';
import { unreadyDependencies } from '../../../src/gitsync/dependencies.ts';

const sync = (name: string, generation: number, ready?: { status: 'True' | 'False'; observedGeneration: number }): GitSync => ({
  metadata: { name, namespace: 'shop', generation },
  spec: { url: 'https://git.example/app.git' },
  ...(ready
    ? {
        status: {
          observedGeneration: ready.observedGeneration,
          conditions: [{ type: 'Ready', status: ready.status, reason: ready.status === 'True' ? 'Synced' : 'FetchFailed' }],
        },
      }
    : {}),
});

test('each unready dependency is named with its field; a missing one says it does not exist', () => {
  const existing = new Map<string, GitSync>([
    ['shop/ready', sync('ready', 2, { status: 'True', observedGeneration: 2 })],
    ['shop/failing', sync('failing', 1, { status: 'False', observedGeneration: 1 })],
    ['platform/stale', sync('stale', 3, { status: 'True', observedGeneration: 2 })],
  ]);
  const app = sync('app', 1);
  app.spec.dependsOn = [{ name: 'ready' }, { name: 'failing' }, { name: 'stale', namespace: 'platform' }, { name: 'missing' }];
  assert.deepEqual(
    unreadyDependencies(app, (key) => existing.get(key)),
    [
      'GitSync shop/failing (spec.dependsOn[1])',
      'GitSync platform/stale (spec.dependsOn[2])',
      'GitSync shop/missing (spec.dependsOn[3]), which does not exist',
    ],
  );
  assert.deepEqual(
    unreadyDependencies(sync('alone', 1), () => undefined),
    [],
  );
});
