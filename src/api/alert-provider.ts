import { Type, type Static } from '@sinclair/typebox';
import { Condition, Described, Enum, KubernetesObject, LocalRef } from './schema-types.ts';

export const ALERT_PROVIDER_TYPES = ['slack', 'msteams', 'discord', 'webhook'] as const;

export const AlertProviderSpec = Described('Where canary alerts are sent', {
  type: Enum(ALERT_PROVIDER_TYPES, 'Kind of receiver; webhook posts generic JSON'),
  address: Type.Optional(Type.String({ description: 'Hook URL (prefer secretRef: the URL is a secret)' })),
  secretRef: Type.Optional(LocalRef('Secret whose key "address" holds the hook URL')),
  channel: Type.Optional(Type.String({ description: 'Channel to post to' })),
  username: Type.Optional(Type.String({ description: 'Name the messages are posted under' })),
  proxy: Type.Optional(Type.String({ description: 'HTTP(S) proxy URL' })),
});

export const AlertProviderStatus = Described('Observed state of an AlertProvider', {
  observedGeneration: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(Condition)),
});

export const AlertProviderSchema = KubernetesObject(
  'A chat or webhook receiver for canary alerts',
  AlertProviderSpec,
  AlertProviderStatus,
  { specRequired: true },
);
export type AlertProvider = Static<typeof AlertProviderSchema>;
