import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLease, microTime, releasedSpec } from '../../src/kube/leader-lease.ts';

const now = new Date('2026-01-01T00:00:30.000Z');
const seenAt = (secondsAgo: number) => now.getTime() - secondsAgo * 1000;

test('no lease yet: create it as holder', () => {
  const decision = decideLease({ spec: undefined, observedAt: 0 }, 'me', 15, now);
  assert.equal(decision.action, 'create');
  assert.equal(decision.action === 'create' && decision.spec.holderIdentity, 'me');
});

test('our own lease: renew it, keeping acquireTime and transitions', () => {
  const spec = { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: 'earlier', leaseTransitions: 3 };
  const decision = decideLease({ spec, observedAt: seenAt(5) }, 'me', 15, now);
  assert.deepEqual(decision, { action: 'renew', spec: { ...spec, renewTime: microTime(now) } });
});

test("another holder's fresh lease: wait, and say for how long", () => {
  const spec = { holderIdentity: 'other', leaseDurationSeconds: 15, leaseTransitions: 1 };
  assert.deepEqual(decideLease({ spec, observedAt: seenAt(5) }, 'me', 15, now), { action: 'wait', holder: 'other', expiresInMs: 10_000 });
});

test("expiry is judged from when we saw the last renewal, not from the holder's clock", () => {
  // The holder's renewTime claims the future (skewed clock); we saw it unchanged 20s ago.
  const spec = { holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: '2030-01-01T00:00:00.000000Z', leaseTransitions: 1 };
  const decision = decideLease({ spec, observedAt: seenAt(20) }, 'me', 15, now);
  assert.equal(decision.action, 'takeover');
  assert.equal(decision.action === 'takeover' && decision.spec.leaseTransitions, 2);
});

test('a released lease is taken over at once', () => {
  const released = releasedSpec({ holderIdentity: 'other', leaseDurationSeconds: 15, leaseTransitions: 4 }, now);
  assert.equal(released.holderIdentity, '');
  const decision = decideLease({ spec: released, observedAt: seenAt(0) }, 'me', 15, now);
  assert.equal(decision.action, 'takeover');
});

test('lease times are MicroTime', () => {
  assert.equal(microTime(now), '2026-01-01T00:00:30.000000Z');
});
