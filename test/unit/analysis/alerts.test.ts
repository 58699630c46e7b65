import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertBody, passesSeverity, type Alert } from '../../../src/alerts/alert-message.ts';
import { alertSeverity } from '../../../src/alerts/alert-policy.ts';

const alert: Alert = {
  canary: 'podinfo',
  namespace: 'shop',
  phase: 'Failed',
  severity: 'error',
  reason: 'FailedChecks',
  message: '3 failed checks reached the threshold of 3',
  time: '2026-03-01T12:00:00.000Z',
};

test('severity filtering follows Flagger: a receiver gets its severity and above', () => {
  assert.equal(passesSeverity('info', undefined), true);
  assert.equal(passesSeverity('info', 'warn'), false);
  assert.equal(passesSeverity('warn', 'warn'), true);
  assert.equal(passesSeverity('error', 'warn'), true);
  assert.equal(passesSeverity('warn', 'error'), false);
});

test('rollbacks are errors, failed checks warnings, releases and approvals info; routine steps no alert', () => {
  assert.equal(alertSeverity('FailedChecks', 'Failed'), 'error');
  assert.equal(alertSeverity('RollbackHook', 'Failed'), 'error');
  assert.equal(alertSeverity('CheckFailed', 'Progressing'), 'warn');
  assert.equal(alertSeverity('NewRevision', 'Progressing'), 'info');
  assert.equal(alertSeverity('WaitingForPromotion', 'WaitingPromotion'), 'info');
  assert.equal(alertSeverity('Succeeded', 'Succeeded'), 'info');
  assert.equal(alertSeverity('Finalising', 'Finalising'), undefined);
  assert.equal(alertSeverity('Initialized', 'Initialized'), undefined);
});

test('each receiver gets its own format, carrying the reason and message', () => {
  const slack = alertBody('slack', alert, { type: 'slack', channel: '#deploys' }) as {
    channel: string;
    attachments: { text: string; color: string }[];
  };
  assert.equal(slack.channel, '#deploys');
  assert.equal(slack.attachments[0]?.text, alert.message);
  assert.equal(slack.attachments[0]?.color, '#d9534f');
  const teams = alertBody('msteams', alert, { type: 'msteams' }) as { '@type': string; sections: { activityTitle: string }[] };
  assert.equal(teams['@type'], 'MessageCard');
  assert.match(teams.sections[0]?.activityTitle ?? '', /podinfo\.shop: FailedChecks/);
  const discord = alertBody('discord', alert, { type: 'discord' }) as { embeds: { description: string; color: number }[] };
  assert.equal(discord.embeds[0]?.description, alert.message);
  assert.equal(typeof discord.embeds[0]?.color, 'number');
  assert.deepEqual(alertBody('webhook', alert, { type: 'webhook' }), {
    name: 'podinfo',
    namespace: 'shop',
    phase: 'Failed',
    severity: 'error',
    reason: 'FailedChecks',
    message: alert.message,
    timestamp: alert.time,
  });
});
