import { Type, type Static } from '@sinclair/typebox';
import { Condition, Described, Duration, Enum, KubernetesObject, LocalRef, StringList, Timestamp } from './schema-types.ts';

const Order = Enum(['asc', 'desc'] as const, 'asc picks the highest, desc the lowest (default asc)');

const TagPolicy = Described('How the version is picked from the tags; set exactly one', {
  semver: Type.Optional(
    Described('The highest tag in a semver range', { range: Type.String({ minLength: 1, description: 'e.g. >=1.0.0 <2' }) }),
  ),
  newestBuild: Type.Optional(Described("The tag whose image was built last (its config's created time)", {})),
  digest: Type.Optional(
    Described('Follow a mutable tag: a new digest behind it is a new version', {
      tag: Type.String({ minLength: 1, description: 'e.g. main' }),
    }),
  ),
  alphabetical: Type.Optional(Described('Tags (or their extracted part) in alphabetical order', { order: Type.Optional(Order) })),
  numerical: Type.Optional(Described('Tags (or their extracted part) as numbers', { order: Type.Optional(Order) })),
});

const HelmValuesKey = Described('A key of a Helm values file that receives part of the chosen image', {
  file: Type.String({ minLength: 1, description: 'Values file, relative to the write-back path' }),
  key: Type.String({ minLength: 1, description: 'Dotted path of the key, e.g. image.tag' }),
  part: Enum(['tag', 'repository', 'reference', 'digest'] as const, 'What is written: tag, repository, repository:tag, or digest'),
});

const WriteBack = Described('Where the chosen version goes', {
  method: Type.Optional(
    Enum(['git', 'override'] as const, "git: commit to the GitSync's repository (default); override: set the GitSync's spec.images"),
  ),
  branch: Type.Optional(
    Type.String({ minLength: 1, description: "Branch to push to (default: the GitSync's branch); created from it when missing" }),
  ),
  path: Type.Optional(Type.String({ description: "Directory whose YAML files are updated (default: the GitSync's path)" })),
  commitMessage: Type.Optional(
    Type.String({ minLength: 1, description: 'Template; {{policy}}, {{image}}, {{tag}}, {{digest}}, {{previousTag}} are filled in' }),
  ),
  author: Type.Optional(
    Described('Commit author (default Wren <wren@wren.dev>)', {
      name: Type.String({ minLength: 1 }),
      email: Type.String({ minLength: 1 }),
    }),
  ),
  kustomization: Type.Optional(
    Described('Also update the images: entry of a kustomization', {
      file: Type.Optional(Type.String({ description: 'Relative to the write-back path (default kustomization.yaml)' })),
      imageName: Type.Optional(Type.String({ description: "The entry's name (default: spec.image)" })),
    }),
  ),
  helmValues: Type.Optional(Type.Array(HelmValuesKey, { description: 'Helm values keys to update' })),
  pinDigest: Type.Optional(Type.Boolean({ description: 'Write repository:tag@digest (always on for the digest policy)' })),
});

export const ImagePolicySpec = Described('A container image to watch and the rule that picks its version', {
  image: Type.String({ minLength: 1, description: 'Image repository without tag, e.g. ghcr.io/org/app' }),
  gitSyncRef: LocalRef('The GitSync (same namespace) whose repository receives the chosen version'),
  policy: TagPolicy,
  filterTags: Type.Optional(
    Described('Only tags matching pattern; extract picks the part the policy orders', {
      pattern: Type.String({ minLength: 1, description: 'Regular expression; (?P<name>...) groups allowed' }),
      extract: Type.Optional(Type.String({ description: 'e.g. $ts or ${ts} or $1' })),
    }),
  ),
  allowTags: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression every candidate tag must match, e.g. ^main-' })),
  ignoreTags: Type.Optional(StringList('Glob patterns of tags never considered, e.g. *-rc*')),
  secretRef: Type.Optional(LocalRef('kubernetes.io/dockerconfigjson Secret with the registry credentials')),
  platform: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$',
      description: 'Platform of a multi-arch index, e.g. linux/arm64 (default linux/amd64)',
    }),
  ),
  insecure: Type.Optional(Type.Boolean({ description: 'Talk plain HTTP to the registry' })),
  interval: Type.Optional(Duration('Time between registry scans (default 2m)')),
  suspend: Type.Optional(Type.Boolean({ description: 'Stop scanning and writing back' })),
  writeBack: Type.Optional(WriteBack),
});

const ChosenImage = Described('A version of the image', {
  tag: Type.String(),
  digest: Type.Optional(Type.String()),
});

export const ImagePolicyStatus = Described('Observed state of an ImagePolicy', {
  observedGeneration: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(Condition)),
  latest: Type.Optional(Described('What the policy picks from the registry at the last scan', { ...ChosenImage.properties })),
  tagsSeen: Type.Optional(Type.Integer({ description: 'Tags the registry listed at the last scan' })),
  skippedTags: Type.Optional(StringList('Some tags the filters or the policy skipped, with why (at most 10)')),
  chosen: Type.Optional(Described('The version last written back (git) or overridden', { ...ChosenImage.properties })),
  lastWriteBack: Type.Optional(
    Described('The last write-back', {
      commit: Type.Optional(Type.String({ description: 'Commit pushed (git method)' })),
      branch: Type.Optional(Type.String()),
      files: Type.Optional(StringList('Files changed')),
      time: Timestamp('When it was written'),
    }),
  ),
  lastHandledRequestedAt: Type.Optional(Type.String({ description: 'Value of the wren.dev/requested-at annotation last acted on' })),
  quarantined: Type.Optional(
    Type.Array(
      Described('A tag whose canary failed: never chosen again until lifted with `wren image unquarantine`', {
        tag: Type.String(),
        canary: Type.String({ description: 'namespace/name of the Canary that failed' }),
        revision: Type.Optional(Type.String({ description: 'The commit whose release failed' })),
        reason: Type.String({ description: "The canary's reason and message" }),
        time: Timestamp('When it was quarantined'),
        liftedAt: Type.Optional(Timestamp('When `wren image unquarantine` lifted it; the tag may be chosen again')),
      }),
    ),
  ),
  lastHandledUnquarantine: Type.Optional(Type.String({ description: 'Value of the wren.dev/unquarantine annotation last acted on' })),
});

export const ImagePolicySchema = KubernetesObject(
  'Picks the newest allowed version of an image and writes it back to Git',
  ImagePolicySpec,
  ImagePolicyStatus,
  { specRequired: true },
);
export type ImagePolicy = Static<typeof ImagePolicySchema>;
