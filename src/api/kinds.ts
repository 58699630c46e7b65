// The one list of Wren's kinds: the CRD generator, the operator's caches and validation read it.
import type { TObject } from '@sinclair/typebox';
import { AlertProviderSchema } from './alert-provider.ts';
import { CanarySchema } from './canary.ts';
import { GitSyncSchema } from './git-sync.ts';
import { ImagePolicySchema } from './image-policy.ts';
import { MetricTemplateSchema } from './metric-template.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  schema: TObject;
  printerColumns: PrinterColumn[];
}

const readyColumns: PrinterColumn[] = [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
];
const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const CANARY: KindDefinition = {
  kind: 'Canary',
  plural: 'canaries',
  singular: 'canary',
  shortNames: ['cn'],
  schema: CanarySchema,
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    { name: 'Weight', type: 'integer', jsonPath: '.status.canaryWeight' },
    { name: 'FailedChecks', type: 'integer', jsonPath: '.status.failedChecks' },
    { name: 'LastTransitionTime', type: 'date', jsonPath: '.status.lastTransitionTime' },
    { name: 'Reason', type: 'string', jsonPath: '.status.reason', priority: 1 },
    { name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend', priority: 1 },
  ],
};

export const METRIC_TEMPLATE: KindDefinition = {
  kind: 'MetricTemplate',
  plural: 'metrictemplates',
  singular: 'metrictemplate',
  shortNames: ['mt'],
  schema: MetricTemplateSchema,
  printerColumns: [{ name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' }, ...readyColumns, ageColumn],
};

export const ALERT_PROVIDER: KindDefinition = {
  kind: 'AlertProvider',
  plural: 'alertproviders',
  singular: 'alertprovider',
  shortNames: ['ap'],
  schema: AlertProviderSchema,
  printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.spec.type' }, ...readyColumns, ageColumn],
};

export const GIT_SYNC: KindDefinition = {
  kind: 'GitSync',
  plural: 'gitsyncs',
  singular: 'gitsync',
  shortNames: ['gs'],
  schema: GitSyncSchema,
  printerColumns: [
    { name: 'URL', type: 'string', jsonPath: '.spec.url', priority: 1 },
    { name: 'Revision', type: 'string', jsonPath: '.status.lastAppliedRevision' },
    { name: 'Sync', type: 'string', jsonPath: '.status.sync' },
    { name: 'Health', type: 'string', jsonPath: '.status.health' },
    ...readyColumns,
    ageColumn,
  ],
};

export const IMAGE_POLICY: KindDefinition = {
  kind: 'ImagePolicy',
  plural: 'imagepolicies',
  singular: 'imagepolicy',
  shortNames: ['imgpol'],
  schema: ImagePolicySchema,
  printerColumns: [
    { name: 'Image', type: 'string', jsonPath: '.spec.image' },
    { name: 'Latest', type: 'string', jsonPath: '.status.latest.tag' },
    { name: 'Chosen', type: 'string', jsonPath: '.status.chosen.tag' },
    { name: 'Commit', type: 'string', jsonPath: '.status.lastWriteBack.commit', priority: 1 },
    ...readyColumns,
    ageColumn,
  ],
};

export const WREN_KINDS: readonly KindDefinition[] = [CANARY, METRIC_TEMPLATE, ALERT_PROVIDER, GIT_SYNC, IMAGE_POLICY];
