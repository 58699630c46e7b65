import { Type, type Static } from '@sinclair/typebox';
import {
  Condition,
  Described,
  Duration,
  Enum,
  FreeForm,
  KubernetesObject,
  LocalRef,
  NamespacedRef,
  NamespaceName,
  ObjectName,
  StringList,
  StringMap,
  Timestamp,
} from './schema-types.ts';

const GitRef = Described('What to check out; set at most one (default: the remote HEAD)', {
  branch: Type.Optional(Type.String({ minLength: 1 })),
  tag: Type.Optional(Type.String({ minLength: 1 })),
  semver: Type.Optional(Type.String({ minLength: 1, description: 'Semver range of tags, e.g. >=1.2.0 <2' })),
  commit: Type.Optional(Type.String({ pattern: '^[0-9a-f]{7,40}$', description: 'Commit SHA' })),
});

const Render = Described('How the files at path become objects', {
  type: Type.Optional(
    Enum(['directory', 'kustomize', 'helm'] as const, 'Renderer (default: kustomize when a kustomization exists, else directory)'),
  ),
  helm: Type.Optional(
    Described('helm template settings', {
      releaseName: Type.Optional(Type.String()),
      namespace: Type.Optional(Type.String()),
      values: Type.Optional(FreeForm('Inline values')),
      valuesFiles: Type.Optional(StringList('Values files, relative to path')),
    }),
  ),
});

const SubstituteFrom = Described('A ConfigMap or Secret whose keys are substitution variables', {
  kind: Enum(['ConfigMap', 'Secret'] as const, 'Kind of the source'),
  name: ObjectName(),
  optional: Type.Optional(Type.Boolean({ description: 'Tolerate a missing source' })),
});

const ImageOverride = Described('Replaces an image reference in every rendered object', {
  name: Type.String({ minLength: 1, description: 'Image name as written in the manifests' }),
  newName: Type.Optional(Type.String()),
  newTag: Type.Optional(Type.String()),
  digest: Type.Optional(Type.String({ pattern: '^sha256:[0-9a-f]{64}$' })),
});

const VaultAuth = Described('How Wren logs in to Vault; set one', {
  tokenSecretRef: Type.Optional(LocalRef('Secret whose key "token" holds a Vault token')),
  kubernetes: Type.Optional(
    Described('Vault Kubernetes auth with a token of a service account in the GitSync namespace', {
      role: Type.String({ minLength: 1 }),
      serviceAccountName: ObjectName('Service account whose token Wren requests'),
      mountPath: Type.Optional(Type.String({ description: 'Auth mount (default kubernetes)' })),
      audience: Type.Optional(Type.String({ description: 'Audience of the requested token (default vault)' })),
    }),
  ),
});

const Placeholders = Described('argocd-vault-plugin style placeholders (<key>, <path:p#key#version>) resolved before apply', {
  backend: Enum(
    ['kubernetes', 'vault'] as const,
    'Where paths are looked up: Kubernetes Secrets ("namespace/name" or "name") or Vault KV v2',
  ),
  vault: Type.Optional(
    Described('Vault (or a KV v2 compatible server)', {
      address: Type.String({ minLength: 1, description: 'e.g. https://vault.example:8200' }),
      auth: VaultAuth,
      namespace: Type.Optional(Type.String({ description: 'Vault Enterprise namespace header' })),
    }),
  ),
});

export const GitSyncSpec = Described('A Git repository path kept applied to the cluster', {
  url: Type.String({ minLength: 1, description: 'Repository URL: https://, ssh://, git://, file://' }),
  ref: Type.Optional(GitRef),
  path: Type.Optional(Type.String({ description: 'Directory in the repository (default: the root)' })),
  interval: Type.Optional(Duration('Time between syncs (default 1m)')),
  timeout: Type.Optional(Duration('Time limit of one fetch, render and apply (default 5m)')),
  secretRef: Type.Optional(LocalRef('Secret with username/password, token, or identity and known_hosts')),
  render: Type.Optional(Render),
  postBuild: Type.Optional(
    Described('Variable substitution after rendering (${VAR} and ${VAR:=default})', {
      substitute: Type.Optional(StringMap('Variables by name')),
      substituteFrom: Type.Optional(Type.Array(SubstituteFrom)),
    }),
  ),
  images: Type.Optional(
    // A map keyed by name, so an ImagePolicy's server-side apply owns its own entry and no one else's.
    Type.Array(ImageOverride, {
      description: 'Image overrides applied without a commit',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
  ),
  decryption: Type.Optional(
    Described('Decryption of SOPS-encrypted files', {
      provider: Enum(['sops'] as const, 'Decryption provider'),
      secretRef: LocalRef('Secret holding age keys (keys ending in .agekey)'),
    }),
  ),
  serviceAccountName: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      maxLength: 253,
      description:
        'ServiceAccount of this namespace that applies, prunes and reads health (impersonated): its RBAC decides what the GitSync may touch. Without it the GitSync touches only its own namespace',
    }),
  ),
  targetNamespace: Type.Optional(NamespaceName('Namespace for namespaced objects that set none')),
  createNamespace: Type.Optional(Type.Boolean({ description: 'Create targetNamespace when it is missing' })),
  prune: Type.Optional(Type.Boolean({ description: 'Delete objects that left Git (default true)' })),
  allowEmpty: Type.Optional(Type.Boolean({ description: 'Allow a revision that renders no objects to prune all' })),
  selfHeal: Type.Optional(Type.Boolean({ description: 'Revert drift in the cluster (default true)' })),
  suspend: Type.Optional(Type.Boolean({ description: 'Stop syncing' })),
  dependsOn: Type.Optional(Type.Array(NamespacedRef('A GitSync that must be ready first'))),
  placeholders: Type.Optional(Placeholders),
  onCanaryFailure: Type.Optional(
    Described('What Wren does in Git when a canary of a revision this GitSync applied fails', {
      revert: Enum(
        ['commit', 'branch'] as const,
        'commit: push a revert to the synced branch (the GitSync then applies it); branch: push it to a branch of its own for a pull request',
      ),
      branch: Type.Optional(
        Type.String({
          minLength: 1,
          description: 'Branch for revert: branch (default wren/revert-<canary>-<short sha>)',
        }),
      ),
    }),
  ),
  rollbackTo: Type.Optional(
    Type.String({
      pattern: '^[0-9a-f]{7,40}$',
      description: 'Commit to hold the cluster at instead of following ref (set by `wren sync rollback`, cleared by `wren sync resume`)',
    }),
  ),
});

const InventoryEntry = Described('An object the GitSync applied', {
  apiVersion: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  namespace: Type.Optional(Type.String()),
});

const SyncRecord = Described('One past sync', {
  revision: Type.String(),
  trigger: Type.Optional(Type.String({ description: 'What started it: new revision, drift, request, rollback, spec change' })),
  time: Timestamp('When it was applied'),
  result: Enum(['Succeeded', 'Failed'] as const, 'Outcome'),
  message: Type.Optional(Type.String()),
});

const ReleaseEntry = Described('A canary run started by a revision this GitSync applied', {
  canary: Type.String({ description: 'Name of the Canary (in the namespace of its target)' }),
  namespace: Type.Optional(Type.String()),
  revision: Type.String({ description: 'The commit that started it' }),
  phase: Enum(
    ['Pending', 'Progressing', 'Succeeded', 'Failed', 'NotReleased', 'Superseded'] as const,
    'Pending until the Canary takes the revision up; NotReleased when it had nothing to release (the primary runs it already); Superseded when a later revision replaced it before its run began',
  ),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  time: Timestamp('When the phase last changed'),
  revert: Type.Optional(
    Described('The revert Wren wrote in Git after the failure (spec.onCanaryFailure)', {
      branch: Type.Optional(Type.String()),
      commit: Type.Optional(Type.String({ description: 'The pushed commit; absent when Git already held the revert' })),
      files: Type.Optional(StringList('Files changed')),
      error: Type.Optional(Type.String({ description: 'Why no revert could be written' })),
      time: Timestamp('When it was written'),
    }),
  ),
});

export const GitSyncStatus = Described('Observed state of a GitSync', {
  observedGeneration: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(Condition)),
  sync: Type.Optional(Enum(['Synced', 'OutOfSync', 'Unknown'] as const, 'Whether the cluster matches Git')),
  health: Type.Optional(
    Enum(['Healthy', 'Progressing', 'Degraded', 'Missing', 'Suspended', 'Unknown'] as const, 'Health of the applied objects'),
  ),
  lastAppliedRevision: Type.Optional(Type.String()),
  lastAttemptedRevision: Type.Optional(Type.String()),
  lastSyncTime: Type.Optional(Timestamp('When the last sync finished')),
  inventory: Type.Optional(Type.Array(InventoryEntry)),
  history: Type.Optional(Type.Array(SyncRecord, { description: 'The last syncs, newest first' })),
  diff: Type.Optional(
    Described('What the last sync changed or would change', {
      created: Type.Integer(),
      updated: Type.Integer(),
      deleted: Type.Integer(),
      unchanged: Type.Integer(),
      drifted: Type.Optional(StringList('Objects whose live state differs from Git (kind/namespace/name), at most 20')),
    }),
  ),
  lastHandledRequestedAt: Type.Optional(Type.String({ description: 'Value of the wren.dev/requested-at annotation last acted on' })),
  releases: Type.Optional(Type.Array(ReleaseEntry, { description: 'Canary runs of the revisions applied, newest first (at most 10)' })),
  canaryReplicas: Type.Optional(
    Type.Array(
      Described("Git's spec.replicas of a Deployment whose replicas a Canary owns, and where they went", {
        name: Type.String(),
        namespace: Type.Optional(Type.String()),
        replicas: Type.Integer(),
        primary: Type.Optional(Type.String({ description: 'The Deployment that runs them (the -primary)' })),
        ignoredBecause: Type.Optional(Type.String({ description: 'Why no Deployment takes them (an autoscaler owns the replicas)' })),
      }),
    ),
  ),
});

export const GitSyncSchema = KubernetesObject('Delivers a Git repository path to the cluster', GitSyncSpec, GitSyncStatus, {
  specRequired: true,
});
export type GitSync = Static<typeof GitSyncSchema>;
