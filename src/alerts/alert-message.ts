// What an alert says and how each receiver wants it: Slack, Microsoft Teams, Discord, or plain JSON.
import type { AlertProvider } from '../api/alert-provider.ts';

export type Severity = 'info' | 'warn' | 'error';

export interface Alert {
  canary: string;
  namespace: string;
  phase: string;
  severity: Severity;
  reason: string;
  message: string;
  time: string;
}

const RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

/** Flagger's rule: a receiver set to a severity gets alerts of that severity and above. */
export function passesSeverity(alert: Severity, threshold: Severity | '' | undefined): boolean {
  return RANK[alert] >= RANK[threshold || 'info'];
}

const COLOR: Record<Severity, { hex: string; decimal: number }> = {
  info: { hex: '#36a64f', decimal: 0x36a64f },
  warn: { hex: '#f2c744', decimal: 0xf2c744 },
  error: { hex: '#d9534f', decimal: 0xd9534f },
};

export function alertTitle(alert: Alert): string {
  return `${alert.canary}.${alert.namespace}: ${alert.reason}`;
}

export function alertBody(type: AlertProvider['spec']['type'], alert: Alert, provider: AlertProvider['spec']): unknown {
  const title = alertTitle(alert);
  const facts = [
    { name: 'Phase', value: alert.phase },
    { name: 'Severity', value: alert.severity },
  ];
  switch (type) {
    case 'slack':
      return {
        ...(provider.channel ? { channel: provider.channel } : {}),
        username: provider.username ?? 'wren',
        text: title,
        attachments: [
          {
            color: COLOR[alert.severity].hex,
            title,
            text: alert.message,
            fields: facts.map((fact) => ({ title: fact.name, value: fact.value, short: true })),
            ts: Math.floor(Date.parse(alert.time) / 1000),
          },
        ],
      };
    case 'msteams':
      return {
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        themeColor: COLOR[alert.severity].hex.slice(1),
        summary: title,
        sections: [{ activityTitle: title, activitySubtitle: alert.message, facts }],
      };
    case 'discord':
      return {
        username: provider.username ?? 'wren',
        embeds: [
          {
            title,
            description: alert.message,
            color: COLOR[alert.severity].decimal,
            fields: facts.map((fact) => ({ name: fact.name, value: fact.value, inline: true })),
            timestamp: alert.time,
          },
        ],
      };
    default:
      return {
        name: alert.canary,
        namespace: alert.namespace,
        phase: alert.phase,
        severity: alert.severity,
        reason: alert.reason,
        message: alert.message,
        timestamp: alert.time,
        ...(provider.channel ? { channel: provider.channel } : {}),
      };
  }
}
