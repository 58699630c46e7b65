// Invalid Wren objects for the malformed-input drill, generated from a seed: wrong JSON types,
// numbers out of range, durations that are no durations or too long, enum values that are not,
// hostile strings in expressions, queries, URLs and names, duplicated names and references to
// objects that do not exist. Every case says what must become of it: the API server refuses it
// (422, naming the field), or the operator reports Ready=False with a reason and a message naming
// the field. Each case draws from its own generator, seeded by (seed, kind, index), so a case
// replays exactly from its seed and id whatever other cases are generated around it.
import type { KubeObject } from '../../src/kube/objects.ts';
import {
  ALERT_PROVIDERS,
  CANARIES,
  GIT_SYNCS,
  IMAGE_POLICIES,
  METRIC_TEMPLATES,
  type ResourceType,
} from '../../src/kube/resource-types.ts';

/** What must become of a case: refused at create, or reported by the operator on its Ready condition. */
export type Expected =
  | { by: 'api-server'; field: string }
  | {
      by: 'operator';
      /** Ready=False with this reason: InvalidSpec, or what the code reports for a missing reference. */
      reason: string;
      field: string;
    };

export interface MalformedCase {
  /** e.g. cn-017: kind prefix and index; with the seed it names the case for a replay. */
  id: string;
  type: ResourceType;
  /** What is wrong, in words. */
  what: string;
  object: KubeObject;
  expected: Expected;
}

export interface MalformedContext {
  namespace: string;
  /** A Deployment that exists: Canaries whose spec is valid find their target and go on to their references. */
  existingDeployment: string;
  /** host/path of a repository that holds a tag 1.0.0: ImagePolicies whose spec is valid scan it. */
  scannableImage: string;
}

export const DEFAULT_COUNTS = { Canary: 160, GitSync: 100, ImagePolicy: 100, MetricTemplate: 12, AlertProvider: 8 } as const;
export type MalformedKind = keyof typeof DEFAULT_COUNTS;

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG (mulberry32) and a string hash (FNV-1a) to seed one per case.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Hostile material.

/** Characters that have no business in names and URLs: NUL, BEL, an escape sequence, CR LF, RTL override, BOM. */
const CONTROL = ['\u0000', '\u0007', '\u001b[31m', '\r\n', '\u202e', '\ufeff', '\t'];

/** A few hundred KB of one character: big enough to hurt a careless regex or a status write. */
const huge = (r: Rng, unit = 'a') => unit.repeat(r.int(100_000, 250_000));

const withControl = (r: Rng, text: string) => {
  const at = r.int(0, text.length);
  return `${text.slice(0, at)}${r.pick(CONTROL)}${text.slice(at)}`;
};

const HOSTILE_URLS = [
  'file:///etc/passwd',
  '-uhttp://x',
  '--upload-pack=touch /tmp/pwned',
  'ext::sh -c touch% /tmp/pwned',
  'ext::sh -c touch /tmp/pwned',
  'javascript:alert(1)',
  'gopher://127.0.0.1:6379/_FLUSHALL',
  'data:text/plain,hello',
  'ldap://127.0.0.1/a',
  'ftp://example.com/x',
  'http://',
  'http://[::1',
  '//evil.example/x',
  'not a url',
];

const hostileHttpUrl = (r: Rng) =>
  r.chance(0.1) ? `file://${huge(r)}` : r.chance(0.15) ? withControl(r, 'http://example.com/hook') : r.pick(HOSTILE_URLS);

/** Object names no Kubernetes object can have: path traversal, slashes, upper case, control characters. */
const HOSTILE_NAMES = [
  '../../kube-system/secrets/admin',
  '..',
  '.',
  'a/b',
  '%2e%2e%2fadmin',
  'Admin',
  'name with spaces',
  '-leading-dash',
  'trailing-dash-',
  'under_score',
  'x'.repeat(254),
];
const hostileName = (r: Rng) => (r.chance(0.2) ? withControl(r, 'secret') : r.pick(HOSTILE_NAMES));

/** Conditions the expression checker must refuse, each for its own reason. */
const HOSTILE_CONDITIONS = [
  "constructor.constructor('return process')()",
  "import('fs')",
  "require('child_process').execSync('id')",
  'process.exit(1)',
  'result.constructor',
  "evaluate('1 + 1')",
  'x = 1',
  'f(x) = x',
  '[1, 2, 3]',
  '{a: 1}',
  "'a string'",
  'result; result',
  'result > ',
  'result >= 99 and',
  'result > 5 cm',
  'result!',
  'result\u0000 > 1',
  // A condition that never reads result judges nothing: it passes or fails every check alike.
  '1e9999',
  '1 > 0',
];

function hostileCondition(r: Rng): string {
  const shape = r.int(0, 9);
  if (shape === 0) return `${'('.repeat(r.int(2_000, 60_000))}result${')'.repeat(r.int(2_000, 60_000))}`;
  if (shape === 1) return Array.from({ length: r.int(2_000, 60_000) }, () => 'result').join(r.pick([' + ', ' and ', ' * ']));
  if (shape === 2) return `${'-'.repeat(r.int(5_000, 60_000))}result > 1`;
  return r.pick(HOSTILE_CONDITIONS);
}

/**
 * Queries with a placeholder that is no variable. In a MetricTemplate `{{ variables.x }}` is fine
 * (the Canary sets x); inline in a Canary, x must be among the metric's templateVariables.
 */
function hostileQuery(r: Rng, inline: boolean, round: number): string {
  const placeholder = r.pick([
    '{{ constructor }}',
    '{{ __proto__ }}',
    '{{ variables.__proto__ }}',
    '{{ name.constructor }}',
    '{{ process.env.HOME }}',
    '{{ nope }}',
    '{{ }}',
    '{{ variables }}',
    '{{ toString }}',
    ...(inline ? ['{{ variables.constructor }}', '{{ variables.missing }}', '{{ variables.toString }}'] : []),
  ]);
  // Every third one: an unclosed placeholder before a long run of spaces, which a backtracking regex
  // takes hours over.
  if (round % 3 === 0)
    return `sum(rate(requests{ns="{{ namespace }}", x="{{ ${' '.repeat(r.int(20_000, 120_000))}x }"}[1m])) ${placeholder}`;
  return `sum(rate(http_requests_total{namespace="{{ namespace }}", job=${placeholder}}[{{ interval }}]))`;
}

/** Durations that parse but are longer than the 596h (about 24 days) Wren can wait: 99999h and beyond. */
const tooLongDuration = (r: Rng) =>
  r.pick(['99999h', '597h', '2147484s', '9999999h59m', '99999999999999h', `${'9'.repeat(r.int(30, 400))}s`, '35791395m']);

const NOT_DURATIONS = ['-5s', '5', '1d', '', '1.5', 's', '5 s', '1e3s', 'PT5M', '5m-', '∞h', '1h\n', '١s', 'soon'];

// ---------------------------------------------------------------------------------------------
// Object surgery.

type Json = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);

/** Sets a value at a dotted path (numeric parts index arrays), creating objects on the way. */
function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1) {
      if (value === DELETE) delete node[part];
      else node[part] = value;
      return;
    }
    const next = node[part];
    if (typeof next !== 'object' || next === null) {
      node[part] = /^\d+$/.test(parts[index + 1] as string) ? [] : {};
    }
    node = node[part] as Record<string, unknown>;
  }
}

const DELETE = Symbol('delete');

/** `spec.a.0.b` → `spec.a[0].b`, as the API server and Wren write field paths. */
const fieldOf = (path: string) => `spec.${path}`.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

interface Mutation {
  what: string;
  /** Applied to a copy of the kind's valid base spec. */
  change: (spec: Json) => void;
  expected: Expected;
}

/** `round` counts how often the family came up before: variants are taken in turn, so each is covered. */
type Family = (r: Rng, context: MalformedContext, id: string, round: number) => Mutation;

const inTurn = <T>(round: number, variants: readonly T[]): T => variants[round % variants.length] as T;

const refused = (field: string): Expected => ({ by: 'api-server', field });
const invalidSpec = (field: string): Expected => ({ by: 'operator', reason: 'InvalidSpec', field });
const reported = (reason: string, field: string): Expected => ({ by: 'operator', reason, field });

/** A schema violation at one path: the API server must refuse it and name the field. */
function schemaViolation(what: string, path: string, value: unknown, prepare?: (spec: Json) => void, field = fieldOf(path)): Mutation {
  return {
    what: `${what}: ${path} = ${describe(value)}`,
    change: (spec) => {
      prepare?.(spec);
      setPath(spec, path, value);
    },
    expected: refused(field),
  };
}

function describe(value: unknown): string {
  if (value === DELETE) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

const quote = (text: string) => describe(text);

// ---------------------------------------------------------------------------------------------
// Canary.

const canaryBase = (context: MalformedContext): Json => ({
  targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: context.existingDeployment },
  service: { port: 9898 },
  analysis: { interval: '1m', threshold: 5, iterations: 3 },
});

/** A weighted canary on a provider that can split traffic. */
const weighted = (spec: Json, analysis: Json) => {
  spec.provider = 'istio';
  const current = spec.analysis as Json;
  delete current.iterations;
  Object.assign(current, analysis);
};

const metric = (extra: Json = {}) => ({ name: 'request-success-rate', thresholdRange: { min: 99 }, ...extra });
const webhook = (extra: Json = {}) => ({ name: 'load-test', url: 'http://loadtester.test/', ...extra });

const CANARY_WRONG_TYPES: [string, unknown[], ((spec: Json) => void)?, string?][] = [
  ['analysis.threshold', ['5', true, [5], { value: 5 }, 2.5]],
  ['analysis.interval', [60, 1.5, ['1m'], true]],
  ['analysis.iterations', ['3', 3.5, [3]]],
  ['service.port', ['9898', 'http', 98.98, 1e20]],
  ['targetRef', ['app', 42, ['app']]],
  ['targetRef.name', [7, { name: 'app' }, false]],
  ['analysis.metrics', [{ name: 'x' }, 'request-success-rate', 3]],
  ['analysis.webhooks', ['http://loadtester.test/', { url: 'x' }]],
  ['skipAnalysis', ['true', 1, 'yes']],
  ['suspend', ['false', 0]],
  ['progressDeadlineSeconds', ['60', 60.5, 1e300]],
  ['analysis.match', [{ headers: {} }, 'x-canary']],
  ['service.hosts', ['example.com', { a: 1 }]],
  ['service.hosts.0', [1, null]],
  ['analysis.metrics.0.thresholdRange.min', ['99', [99], true], (spec) => setPath(spec, 'analysis.metrics', [metric()])],
  ['analysis.metrics.0.templateVariables.x', [1, true, ['a']], (spec) => setPath(spec, 'analysis.metrics', [metric()])],
  ['analysis.webhooks.0.metadata.cmd', [1, false, { nested: 'x' }], (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.webhooks.0.retries', ['3', 1.5], (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.webhooks.0.secretRef', ['token', ['token']], (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['service.gatewayRefs.0.port', ['80', 80.5], (spec) => setPath(spec, 'service.gatewayRefs', [{ name: 'gw' }])],
];

const CANARY_OUT_OF_RANGE: [string, (r: Rng) => number, ((spec: Json) => void)?][] = [
  ['analysis.maxWeight', (r) => r.pick([r.int(101, 1_000_000), -r.int(1, 100)])],
  ['analysis.stepWeight', (r) => r.pick([0, -r.int(1, 100), r.int(101, 1_000_000_000)])],
  ['analysis.threshold', (r) => r.pick([0, -r.int(1, 1_000_000)])],
  ['analysis.iterations', (r) => r.pick([0, -r.int(1, 100)])],
  ['progressDeadlineSeconds', (r) => r.pick([0, -r.int(1, 1_000_000)])],
  ['service.port', (r) => r.pick([0, -1, r.int(65_536, 2_000_000_000)])],
  ['analysis.mirrorWeight', (r) => r.int(101, 10_000)],
  ['analysis.primaryReadyThreshold', (r) => r.pick([r.int(101, 10_000), -1])],
  ['analysis.canaryReadyThreshold', (r) => r.pick([r.int(101, 10_000), -1])],
  ['analysis.stepWeightPromotion', (r) => r.pick([0, r.int(101, 1_000)])],
  ['analysis.stepWeights.0', (r) => r.pick([0, r.int(101, 1_000)])],
  ['analysis.webhooks.0.retries', (r) => -r.int(1, 1_000), (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  [
    'analysis.sessionAffinity.maxAge',
    (r) => -r.int(1, 1_000_000),
    (spec) => setPath(spec, 'analysis.sessionAffinity', { cookieName: 'canary' }),
  ],
  [
    'service.gatewayRefs.0.port',
    (r) => r.pick([0, r.int(65_536, 1_000_000)]),
    (spec) => setPath(spec, 'service.gatewayRefs', [{ name: 'gw' }]),
  ],
];

const CANARY_DURATIONS: [string, ((spec: Json) => void)?][] = [
  ['analysis.interval'],
  ['analysis.metrics.0.interval', (spec) => setPath(spec, 'analysis.metrics', [metric()])],
  ['analysis.webhooks.0.timeout', (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.steps.1.pause.duration', (spec) => weighted(spec, { steps: [{ setWeight: 10 }, { pause: {} }] })],
];

const CANARY_ENUMS: [string, string[], ((spec: Json) => void)?][] = [
  ['targetRef.kind', ['StatefulSet', 'deployment', 'Pod', 'Deployment ', '']],
  [
    'analysis.webhooks.0.type',
    ['pre-rollout; rm -rf /', 'PRE-ROLLOUT', 'post_rollout', 'x'],
    (spec) => setPath(spec, 'analysis.webhooks', [webhook()]),
  ],
  [
    'analysis.alerts.0.severity',
    ['critical', 'INFO', 'debug'],
    (spec) => setPath(spec, 'analysis.alerts', [{ name: 'team', providerRef: { name: 'slack' } }]),
  ],
  ['service.trafficDistribution', ['Anywhere', 'preferclose']],
  [
    'analysis.sessionAffinity.sameSite',
    ['lax', 'Whatever'],
    (spec) => weighted(spec, { iterations: 3, sessionAffinity: { cookieName: 'canary' } }),
  ],
];

const CANARY_REQUIRED: [string, unknown, ((spec: Json) => void)?][] = [
  ['targetRef.name', DELETE],
  ['targetRef.name', ''],
  ['targetRef.kind', DELETE],
  ['service.port', DELETE],
  ['analysis.interval', DELETE],
  ['analysis.threshold', DELETE],
  ['analysis.metrics.0.name', '', (spec) => setPath(spec, 'analysis.metrics', [metric()])],
  ['analysis.metrics.0.name', DELETE, (spec) => setPath(spec, 'analysis.metrics', [metric()])],
  ['analysis.webhooks.0.url', '', (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.webhooks.0.url', DELETE, (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.webhooks.0.name', '', (spec) => setPath(spec, 'analysis.webhooks', [webhook()])],
  ['analysis.alerts.0.providerRef', DELETE, (spec) => setPath(spec, 'analysis.alerts', [{ name: 'team', providerRef: { name: 'x' } }])],
  ['analysis.sessionAffinity.cookieName', '', (spec) => weighted(spec, { iterations: 3, sessionAffinity: { cookieName: 'canary' } })],
];

/** References whose names no object can have, by the path of the name. */
const CANARY_REF_NAMES: [string, ((spec: Json) => void)?][] = [
  ['analysis.webhooks.0.secretRef.name', (spec) => setPath(spec, 'analysis.webhooks', [webhook({ secretRef: { name: 'token' } })])],
  [
    'analysis.metrics.0.templateRef.name',
    (spec) => setPath(spec, 'analysis.metrics', [metric({ name: 'errors', templateRef: { name: 'errors' } })]),
  ],
  [
    'analysis.metrics.0.templateRef.namespace',
    (spec) => setPath(spec, 'analysis.metrics', [metric({ name: 'errors', templateRef: { name: 'errors' } })]),
  ],
  ['analysis.alerts.0.providerRef.name', (spec) => setPath(spec, 'analysis.alerts', [{ name: 'team', providerRef: { name: 'slack' } }])],
  ['targetRef.name'],
  [
    'autoscalerRef.name',
    (spec) => setPath(spec, 'autoscalerRef', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'app' }),
  ],
];

const canaryFamilies: Family[] = [
  // --- refused by the API server: the CRD schema ---
  (r) => {
    const [path, values, prepare, field] = r.pick(CANARY_WRONG_TYPES);
    return schemaViolation('wrong JSON type', path, r.pick(values), prepare, field);
  },
  (r) => {
    const [path, value, prepare] = r.pick(CANARY_OUT_OF_RANGE);
    return schemaViolation('number out of range', path, value(r), (spec) => {
      if (path.startsWith('analysis.stepWeights')) setPath(spec, 'analysis.stepWeights', [10, 20]);
      prepare?.(spec);
    });
  },
  (r) => {
    const [path, prepare] = r.pick(CANARY_DURATIONS);
    return schemaViolation('not a duration', path, r.pick(NOT_DURATIONS), prepare);
  },
  (r) => {
    const [path, values, prepare] = r.pick(CANARY_ENUMS);
    return schemaViolation('not one of the allowed values', path, r.pick(values), prepare);
  },
  (r) => {
    const [path, value, prepare] = r.pick(CANARY_REQUIRED);
    return schemaViolation(value === DELETE ? 'required field missing' : 'required field empty', path, value, prepare);
  },
  (r) => {
    const [path, prepare] = r.pick(CANARY_REF_NAMES);
    return schemaViolation('a reference to a name no object can have', path, hostileName(r), prepare);
  },
  // --- accepted by the schema, InvalidSpec from the operator ---
  (r) => {
    const maxWeight = r.int(1, 99);
    const stepWeight = r.int(maxWeight + 1, 100);
    return {
      what: `stepWeight ${stepWeight} > maxWeight ${maxWeight}`,
      change: (spec) => weighted(spec, { maxWeight, stepWeight }),
      expected: invalidSpec('spec.analysis.stepWeight'),
    };
  },
  (r) => {
    const order = ['iterations', 'stepWeight', 'stepWeights', 'steps'] as const;
    const first = r.int(0, 2);
    const second = r.int(first + 1, 3);
    const values: Json = { iterations: 3, stepWeight: 10, stepWeights: [10, 50], steps: [{ setWeight: 20 }] };
    return {
      what: `two schedules: ${order[first]} and ${order[second]}`,
      change: (spec) =>
        weighted(spec, {
          [order[first] as string]: values[order[first] as string],
          [order[second] as string]: values[order[second] as string],
        }),
      expected: invalidSpec(`spec.analysis.${order[second]}`),
    };
  },
  () => ({
    what: 'no schedule at all',
    change: (spec) => delete (spec.analysis as Json).iterations,
    expected: invalidSpec('spec.analysis'),
  }),
  (r) => {
    const weights = [r.int(1, 20)];
    const length = r.int(2, 6);
    while (weights.length < length) weights.push(Math.min(100, (weights.at(-1) as number) + r.int(1, 15)));
    const at = r.int(1, weights.length - 1);
    weights[at] = r.int(1, weights[at - 1] as number);
    for (let i = at + 1; i < weights.length; i++)
      weights[i] = Math.min(100, Math.max((weights[i - 1] as number) + 1, weights[i] as number));
    // Later weights stay increasing (100 is the cap, so a run can end in repeats only when they are 100).
    const firstBad = weights.findIndex((weight, index) => index > 0 && weight <= (weights[index - 1] as number));
    return {
      what: `stepWeights ${JSON.stringify(weights)} do not increase`,
      change: (spec) => weighted(spec, { stepWeights: weights }),
      expected: invalidSpec(`spec.analysis.stepWeights[${firstBad}]`),
    };
  },
  (r) => {
    const provider = r.pick([
      'appmesh',
      'Istio',
      'istio ',
      'kubernetes\u0000',
      '../../etc/passwd',
      '${jndi:ldap://127.0.0.1/a}',
      '\u202ekubernetes',
      '{{ constructor }}',
      'x'.repeat(r.int(100_000, 250_000)),
      withControl(r, 'nginx'),
    ]);
    return {
      what: `unknown provider ${quote(provider)}`,
      change: (spec) => (spec.provider = provider),
      expected: invalidSpec('spec.provider'),
    };
  },
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      {
        what: 'weights on the kubernetes provider',
        change: (spec) => Object.assign(spec, { provider: 'kubernetes', analysis: { interval: '1m', threshold: 5, stepWeight: 10 } }),
        expected: invalidSpec('spec.analysis.stepWeight'),
      },
      {
        what: 'A/B testing on the kubernetes provider',
        change: (spec) => Object.assign(spec.analysis as Json, { match: [{ headers: { 'x-canary': { exact: 'yes' } } }] }),
        expected: invalidSpec('spec.analysis.match'),
      },
      {
        what: 'mirroring on the linkerd provider',
        change: (spec) => Object.assign(spec, { provider: 'linkerd' }, { analysis: { ...(spec.analysis as Json), mirror: true } }),
        expected: invalidSpec('spec.analysis.mirror'),
      },
      {
        what: 'session affinity on the contour provider',
        change: (spec) =>
          Object.assign(spec, { provider: 'contour' }, { analysis: { ...(spec.analysis as Json), sessionAffinity: { cookieName: 'c' } } }),
        expected: invalidSpec('spec.analysis.sessionAffinity'),
      },
      { what: 'nginx without an ingressRef', change: (spec) => (spec.provider = 'nginx'), expected: invalidSpec('spec.ingressRef') },
      {
        what: 'gatewayapi without gatewayRefs',
        change: (spec) => (spec.provider = 'gatewayapi'),
        expected: invalidSpec('spec.service.gatewayRefs'),
      },
    ]),
  (r) => {
    const condition = hostileCondition(r);
    const which = r.pick(['successCondition', 'failureCondition'] as const);
    const index = r.int(0, 1);
    const metrics: Json[] = [
      { name: 'latency-guard', query: 'sum(up{namespace="{{ namespace }}"})', thresholdRange: { max: 1 } },
      metric(),
    ];
    const { thresholdRange: _unused, ...rest } = metrics[index] as Json;
    metrics[index] = { ...rest, [which]: condition };
    return {
      what: `hostile ${which} ${quote(condition)}`,
      change: (spec) => setPath(spec, 'analysis.metrics', metrics),
      expected: invalidSpec(`spec.analysis.metrics[${index}].${which}`),
    };
  },
  (r, _context, _id, round) => {
    const query = hostileQuery(r, true, round);
    return {
      what: `hostile inline query ${quote(query)}`,
      change: (spec) => setPath(spec, 'analysis.metrics', [metric(), { name: 'errors', query, thresholdRange: { max: 1 } }]),
      expected: invalidSpec('spec.analysis.metrics[1].query'),
    };
  },
  () => ({
    what: 'templateRef and query together',
    change: (spec) => setPath(spec, 'analysis.metrics', [metric({ name: 'errors', templateRef: { name: 'errors' }, query: 'sum(up)' })]),
    expected: invalidSpec('spec.analysis.metrics[0].query'),
  }),
  (r) => {
    const name = r.pick(['error-budget', 'p99', withControl(r, 'errors'), '../../etc/passwd', '{{ constructor }}', 'x'.repeat(300)]);
    return {
      what: `custom metric ${quote(name)} without templateRef or query`,
      change: (spec) => setPath(spec, 'analysis.metrics', [{ name, thresholdRange: { max: 1 } }]),
      expected: invalidSpec('spec.analysis.metrics[0].templateRef'),
    };
  },
  (r) => {
    const [min, max] = r.pick([
      [1e308, -1e308],
      [Number.MAX_VALUE, Number.MIN_VALUE],
      [r.int(51, 1_000_000), r.int(-1_000_000, 50)],
      [0.5000001, 0.5],
    ]);
    return {
      what: `thresholdRange min ${min} > max ${max}`,
      change: (spec) => setPath(spec, 'analysis.metrics', [{ name: 'request-success-rate', thresholdRange: { min, max } }]),
      expected: invalidSpec('spec.analysis.metrics[0].thresholdRange'),
    };
  },
  () => ({
    what: 'a metric without a threshold or condition',
    change: (spec) => setPath(spec, 'analysis.metrics', [{ name: 'request-success-rate' }]),
    expected: invalidSpec('spec.analysis.metrics[0]'),
  }),
  (r) => {
    const name = r.pick(['request-success-rate', 'smoke', 'x'.repeat(r.int(1, 300)), 'Ünïcödé ✓', withControl(r, 'check')]);
    const webhooks = r.chance(0.5);
    const count = r.int(2, 4);
    const at = r.int(1, count - 1);
    const items = Array.from({ length: count }, (_, index) => {
      const itemName = index === at || index === 0 ? name : `other-${index}`;
      return webhooks ? webhook({ name: itemName }) : { name: itemName, query: 'sum(up)', thresholdRange: { max: 1 } };
    });
    return {
      what: `duplicated ${webhooks ? 'webhook' : 'metric'} name ${quote(name)}`,
      change: (spec) => setPath(spec, webhooks ? 'analysis.webhooks' : 'analysis.metrics', items),
      expected: invalidSpec(`spec.analysis.${webhooks ? 'webhooks' : 'metrics'}[${at}].name`),
    };
  },
  (r) => {
    const url = hostileHttpUrl(r);
    const count = r.int(1, 3);
    const at = r.int(0, count - 1);
    return {
      what: `hostile webhook URL ${quote(url)}`,
      change: (spec) =>
        setPath(
          spec,
          'analysis.webhooks',
          Array.from({ length: count }, (_, index) => webhook({ name: `hook-${index}`, ...(index === at ? { url } : {}) })),
        ),
      expected: invalidSpec(`spec.analysis.webhooks[${at}].url`),
    };
  },
  (r) => {
    const kind = r.pick(['Deployment', 'ScaledObject', 'KEDA', withControl(r, 'HorizontalPodAutoscaler')]);
    return {
      what: `autoscalerRef kind ${quote(kind)}`,
      change: (spec) => setPath(spec, 'autoscalerRef', { apiVersion: 'autoscaling/v2', kind, name: 'app' }),
      expected: invalidSpec('spec.autoscalerRef.kind'),
    };
  },
  () => ({
    what: 'a DaemonSet target',
    change: (spec) => setPath(spec, 'targetRef.kind', 'DaemonSet'),
    expected: invalidSpec('spec.targetRef.kind'),
  }),
  (r) => {
    const steps: Json[] = [{ setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 50 }];
    const at = r.int(0, steps.length);
    steps.splice(at, 0, r.pick([{}, { setWeight: 30, pause: {} }]));
    return {
      what: `step ${at} sets a weight and pauses, or neither`,
      change: (spec) => weighted(spec, { steps }),
      expected: invalidSpec(`spec.analysis.steps[${at}]`),
    };
  },
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      {
        what: 'mirroring with weights',
        change: (spec) => weighted(spec, { stepWeight: 10, mirror: true }),
        expected: invalidSpec('spec.analysis.mirror'),
      },
      {
        what: 'mirrorWeight without mirror',
        change: (spec) => weighted(spec, { iterations: 3, mirrorWeight: 50 }),
        expected: invalidSpec('spec.analysis.mirrorWeight'),
      },
      {
        what: 'match without iterations',
        change: (spec) => weighted(spec, { stepWeight: 10, match: [{ headers: { 'x-canary': { exact: 'yes' } } }] }),
        expected: invalidSpec('spec.analysis.match'),
      },
      {
        what: 'maxWeight with stepWeights',
        change: (spec) => weighted(spec, { stepWeights: [10, 20], maxWeight: 50 }),
        expected: invalidSpec('spec.analysis.maxWeight'),
      },
    ]),
  (r) => {
    const [path, prepare] = r.pick(CANARY_DURATIONS);
    const duration = tooLongDuration(r);
    return {
      what: `${path} ${duration} is longer than anything can wait`,
      change: (spec) => {
        prepare?.(spec);
        setPath(spec, path, duration);
      },
      expected: invalidSpec(fieldOf(path)),
    };
  },
  // --- references to objects that do not exist ---
  (_r, _context, id) => ({
    what: 'targetRef names a Deployment that does not exist',
    change: (spec) => setPath(spec, 'targetRef.name', `missing-${id}`),
    expected: reported('TargetNotFound', 'spec.targetRef'),
  }),
  (r, _context, id) => {
    const index = r.int(0, 2);
    const metrics: Json[] = [
      metric(),
      metric({ name: 'latency', query: 'sum(up)', thresholdRange: { max: 500 } }),
      metric({ name: 'errors', query: 'sum(up)' }),
    ];
    metrics[index] = { name: `template-${index}`, templateRef: { name: `missing-${id}` }, thresholdRange: { max: 1 } };
    return {
      what: 'templateRef names a MetricTemplate that does not exist',
      change: (spec) => setPath(spec, 'analysis.metrics', metrics),
      expected: reported('TemplateNotFound', `spec.analysis.metrics[${index}].templateRef`),
    };
  },
];

// ---------------------------------------------------------------------------------------------
// GitSync.

const gitSyncBase = (): Json => ({ url: 'https://git.invalid/wren/app.git', ref: { branch: 'main' }, interval: '1m' });

const GITSYNC_WRONG_TYPES: [string, unknown[], ((spec: Json) => void)?][] = [
  ['url', [42, ['https://x'], { href: 'https://x' }, true]],
  ['interval', [60, ['1m']]],
  ['ref', ['main', ['main']]],
  ['ref.branch', [1, ['main']]],
  ['path', [['apps'], 5]],
  ['prune', ['false', 0]],
  ['images', [{ name: 'app' }, 'app']],
  ['images.0.name', [5, ['app']], (spec) => setPath(spec, 'images', [{ name: 'app', newTag: '2' }])],
  ['dependsOn', ['base', { name: 'base' }]],
  ['postBuild.substitute.CLUSTER', [1, true, { a: 'b' }]],
  ['secretRef', ['creds', ['creds']]],
  ['render.helm.values', ['replicas: 3', 3], (spec) => setPath(spec, 'render.type', 'helm')],
  ['targetNamespace', [5, ['a']]],
  ['suspend', ['no', 1]],
];

const GITSYNC_PATTERNS: [string, unknown[], ((spec: Json) => void)?][] = [
  ['ref.commit', ['HEAD', 'g123456', 'abc', '-rf', 'ABCDEF1234', 'a'.repeat(41)], (spec) => delete (spec.ref as Json).branch],
  ['rollbackTo', ['main', 'HEAD~1', '1234', '$(id)']],
  [
    'images.0.digest',
    ['sha256:xyz', 'md5:' + 'a'.repeat(32), 'sha256:' + 'A'.repeat(64)],
    (spec) => setPath(spec, 'images', [{ name: 'app' }]),
  ],
  ['serviceAccountName', ['../admin', 'Admin', 'a_b', 'system:serviceaccount:kube-system:default', '', '-x']],
  ['render.type', ['jsonnet', 'Helm', 'kustomize; rm -rf /']],
  ['decryption.provider', ['gpg', 'SOPS'], (spec) => setPath(spec, 'decryption', { provider: 'sops', secretRef: { name: 'age' } })],
  [
    'postBuild.substituteFrom.0.kind',
    ['Pod', 'secret'],
    (spec) => setPath(spec, 'postBuild.substituteFrom', [{ kind: 'ConfigMap', name: 'vars' }]),
  ],
  ['placeholders.backend', ['aws', 'Vault'], (spec) => setPath(spec, 'placeholders', { backend: 'kubernetes' })],
];

const GITSYNC_REQUIRED: [string, unknown, ((spec: Json) => void)?][] = [
  ['url', ''],
  ['url', DELETE],
  ['secretRef.name', ''],
  ['ref.branch', ''],
  ['ref.tag', '', (spec) => delete (spec.ref as Json).branch],
  ['images.0.name', '', (spec) => setPath(spec, 'images', [{ name: 'app', newTag: '2' }])],
  ['decryption.secretRef', DELETE, (spec) => setPath(spec, 'decryption', { provider: 'sops', secretRef: { name: 'age' } })],
  ['postBuild.substituteFrom.0.name', '', (spec) => setPath(spec, 'postBuild.substituteFrom', [{ kind: 'ConfigMap', name: 'vars' }])],
];

const GITSYNC_REF_NAMES: [string, ((spec: Json) => void)?][] = [
  ['secretRef.name'],
  ['decryption.secretRef.name', (spec) => setPath(spec, 'decryption', { provider: 'sops', secretRef: { name: 'age' } })],
  ['postBuild.substituteFrom.0.name', (spec) => setPath(spec, 'postBuild.substituteFrom', [{ kind: 'ConfigMap', name: 'vars' }])],
  ['dependsOn.0.name', (spec) => setPath(spec, 'dependsOn', [{ name: 'base' }])],
  ['dependsOn.0.namespace', (spec) => setPath(spec, 'dependsOn', [{ name: 'base' }])],
];

const HOSTILE_REPOSITORY_URLS = [
  '-uhttp://x',
  '--upload-pack=touch /tmp/pwned',
  'ext::sh -c touch% /tmp/pwned',
  'ext::sh -c touch /tmp/pwned',
  'fd::17',
  'javascript:alert(1)',
  'ftp://example.com/app.git',
  'not a url',
  'http//example.com/app.git',
  ' https://example.com/app.git',
  'git@-oProxyCommand=touch:repo',
  'git@-oProxyCommand:repo',
  'ssh://-oProxyCommand=touch/repo',
  'https://-uexample.com/app.git',
  'https://example.com/app.git\n',
  'transport::x',
  '\u202ehttps://example.com/app.git',
];

const gitSyncFamilies: Family[] = [
  (r) => {
    const [path, values, prepare] = r.pick(GITSYNC_WRONG_TYPES);
    return schemaViolation('wrong JSON type', path, r.pick(values), prepare);
  },
  (r) => {
    const [path, values, prepare] = r.pick(GITSYNC_PATTERNS);
    return schemaViolation('not an allowed value', path, r.pick(values), prepare);
  },
  (r) => schemaViolation('not a duration', r.pick(['interval', 'timeout']), r.pick(NOT_DURATIONS)),
  (r) => {
    const [path, value, prepare] = r.pick(GITSYNC_REQUIRED);
    return schemaViolation(value === DELETE ? 'required field missing' : 'required field empty', path, value, prepare);
  },
  (r) => {
    const [path, prepare] = r.pick(GITSYNC_REF_NAMES);
    return schemaViolation('a reference to a name no object can have', path, hostileName(r), prepare);
  },
  (r) => {
    const name = r.pick(['app', 'ghcr.io/org/app', 'Ünïcödé']);
    return {
      what: `images entry ${quote(name)} twice`,
      change: (spec) =>
        setPath(spec, 'images', [
          { name, newTag: '1' },
          { name: 'other', newTag: '1' },
          { name, newTag: '2' },
        ]),
      expected: refused('spec.images[2]'),
    };
  },
  (r) => {
    const url = r.chance(0.1)
      ? `xx://${huge(r)}`
      : r.chance(0.1)
        ? withControl(r, 'https://example.com/app.git')
        : r.pick(HOSTILE_REPOSITORY_URLS);
    return { what: `hostile repository URL ${quote(url)}`, change: (spec) => (spec.url = url), expected: invalidSpec('spec.url') };
  },
  (r) => {
    const refs: Json = { branch: 'main', tag: 'v1.0.0', semver: '>=1.0.0', commit: 'a'.repeat(40) };
    const pair = r.pick([
      ['branch', 'commit'],
      ['branch', 'tag'],
      ['branch', 'semver'],
      ['tag', 'semver'],
      ['tag', 'commit'],
      ['semver', 'commit'],
    ]);
    return {
      what: `ref sets ${pair.join(' and ')}`,
      change: (spec) => (spec.ref = Object.fromEntries(pair.map((key) => [key, refs[key]]))),
      expected: invalidSpec('spec.ref'),
    };
  },
  (r) => {
    const key = r.pick(['branch', 'tag'] as const);
    const name = r.pick([
      '--upload-pack=touch /tmp/pwned',
      '-x',
      'a..b',
      'refs/heads/../../x',
      'main; rm -rf /',
      'a b',
      'x\u0000y',
      'main.lock',
      '/main',
      'HEAD@{1}',
      'a~1',
    ]);
    return {
      what: `ref.${key} ${quote(name)} is no valid git ${key} name`,
      change: (spec) => (spec.ref = { [key]: name }),
      expected: invalidSpec(`spec.ref.${key}`),
    };
  },
  (r) => {
    const range = r.pick(['not a range', '>=1.0.0 <', '-1', '--upload-pack=x', '^^1']);
    return {
      what: `ref.semver ${quote(range)}`,
      change: (spec) => (spec.ref = { semver: range }),
      expected: invalidSpec('spec.ref.semver'),
    };
  },
  (r) => {
    const path = r.pick(['../..', '/etc', 'apps/../../secrets', '..', '../../../../root/.ssh']);
    return { what: `path ${quote(path)} leaves the repository`, change: (spec) => (spec.path = path), expected: invalidSpec('spec.path') };
  },
  (r) => ({
    what: 'helm settings without render type helm',
    change: (spec) => (spec.render = { ...(r.chance(0.5) ? { type: 'directory' } : {}), helm: { releaseName: 'app' } }),
    expected: invalidSpec('spec.render.helm'),
  }),
  () => ({
    what: 'createNamespace without targetNamespace',
    change: (spec) => (spec.createNamespace = true),
    expected: invalidSpec('spec.createNamespace'),
  }),
  (r) => {
    const count = r.int(1, 3);
    const at = r.int(0, count - 1);
    return {
      what: `images[${at}] changes nothing`,
      change: (spec) =>
        (spec.images = Array.from({ length: count }, (_, index) =>
          index === at ? { name: `img-${index}` } : { name: `img-${index}`, newTag: '2' },
        )),
      expected: invalidSpec(`spec.images[${at}]`),
    };
  },
  (r) => {
    const path = r.pick(['interval', 'timeout']);
    const duration = tooLongDuration(r);
    return {
      what: `${path} ${duration} is longer than anything can wait`,
      change: (spec) => (spec[path] = duration),
      expected: invalidSpec(`spec.${path}`),
    };
  },
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      {
        what: 'a file:// URL outside the operator namespace',
        change: (spec) => (spec.url = 'file:///etc/passwd'),
        expected: reported('NotAllowed', 'spec.url'),
      },
      {
        what: "a targetNamespace other than the GitSync's own",
        change: (spec) => (spec.targetNamespace = r.pick(['kube-system', 'default', 'wren-system'])),
        expected: reported('NotAllowed', 'spec.targetNamespace'),
      },
    ]),
  // --- references to objects that do not exist, read before anything is fetched ---
  (_r, _context, id) => ({
    what: 'secretRef names a Secret that does not exist',
    change: (spec) => (spec.secretRef = { name: `missing-${id}` }),
    expected: reported('FetchFailed', 'spec.secretRef'),
  }),
  (_r, _context, id) => ({
    what: 'decryption.secretRef names a Secret that does not exist',
    change: (spec) => (spec.decryption = { provider: 'sops', secretRef: { name: `missing-${id}` } }),
    expected: reported('DecryptFailed', 'spec.decryption.secretRef'),
  }),
  (r, _context, id) => {
    const kind = r.pick(['ConfigMap', 'Secret']);
    return {
      what: `postBuild.substituteFrom names a ${kind} that does not exist`,
      change: (spec) =>
        (spec.postBuild = {
          substituteFrom: [
            { kind: 'ConfigMap', name: 'vars', optional: true },
            { kind, name: `missing-${id}` },
          ],
        }),
      expected: reported('SubstituteFailed', 'spec.postBuild.substituteFrom'),
    };
  },
  (r, _context, id) => {
    const at = r.int(0, 2);
    const dependsOn = Array.from({ length: 3 }, (_, index) => ({ name: index === at ? `missing-${id}` : `also-missing-${index}-${id}` }));
    return {
      what: 'dependsOn names GitSyncs that do not exist',
      change: (spec) => (spec.dependsOn = dependsOn),
      expected: reported('DependencyNotReady', `spec.dependsOn[${at}]`),
    };
  },
];

// ---------------------------------------------------------------------------------------------
// ImagePolicy.

const imagePolicyBase = (context: MalformedContext): Json => ({
  image: context.scannableImage,
  gitSyncRef: { name: 'config' },
  policy: { semver: { range: '>=1.0.0' } },
  insecure: true,
  interval: '1m',
});

const IMAGEPOLICY_WRONG_TYPES: [string, unknown[], ((spec: Json) => void)?][] = [
  ['image', [5, ['ghcr.io/org/app'], { name: 'app' }]],
  ['policy', ['semver', ['semver']]],
  ['policy.semver', ['>=1.0.0', 1]],
  ['policy.semver.range', [1, ['>=1']]],
  ['gitSyncRef', ['config', 1]],
  ['insecure', ['yes', 1]],
  ['ignoreTags', ['*-rc*', { a: 1 }]],
  ['ignoreTags.0', [1, true]],
  ['writeBack', ['git', ['git']]],
  ['writeBack.helmValues', [{ file: 'values.yaml' }, 'values.yaml']],
  ['writeBack.author', ['Wren <wren@wren.dev>', 7]],
  ['filterTags', ['^v', 1]],
  ['suspend', ['true', 0]],
];

const IMAGEPOLICY_REQUIRED: [string, unknown, ((spec: Json) => void)?][] = [
  ['image', ''],
  ['image', DELETE],
  ['gitSyncRef', DELETE],
  ['gitSyncRef.name', ''],
  ['policy', DELETE],
  ['policy.semver.range', ''],
  ['policy.digest.tag', '', (spec) => (spec.policy = { digest: { tag: 'main' } })],
  ['filterTags.pattern', '', (spec) => (spec.filterTags = { pattern: '^v' })],
  ['filterTags.pattern', DELETE, (spec) => (spec.filterTags = { pattern: '^v' })],
  ['allowTags', ''],
  ['writeBack.branch', ''],
  ['writeBack.commitMessage', ''],
  ['writeBack.author.name', '', (spec) => setPath(spec, 'writeBack.author', { name: 'Wren', email: 'wren@wren.dev' })],
  [
    'writeBack.helmValues.0.key',
    '',
    (spec) => setPath(spec, 'writeBack.helmValues', [{ file: 'values.yaml', key: 'image.tag', part: 'tag' }]),
  ],
];

const IMAGEPOLICY_PATTERNS: [string, unknown[], ((spec: Json) => void)?][] = [
  ['platform', ['Linux/AMD64', 'linux', '../x/y', 'linux/amd64/v8/extra', 'linux/amd64 ', '']],
  ['writeBack.method', ['svn', 'GIT', 'override; rm -rf /']],
  [
    'writeBack.helmValues.0.part',
    ['all', 'Tag'],
    (spec) => setPath(spec, 'writeBack.helmValues', [{ file: 'values.yaml', key: 'image.tag', part: 'tag' }]),
  ],
  ['policy.alphabetical.order', ['up', 'ASC', ''], (spec) => (spec.policy = { alphabetical: {} })],
  ['policy.numerical.order', ['down', 'Desc'], (spec) => (spec.policy = { numerical: {} })],
];

const HOSTILE_IMAGES = [
  'HTTP://evil.example/x',
  'https://ghcr.io/org/app',
  'ghcr.io/Org/App',
  'ghcr.io/org/app:1.0',
  `ghcr.io/org/app@sha256:${'a'.repeat(64)}`,
  'ghcr.io//app',
  'ghcr.io/app/',
  '../../etc/passwd',
  'ghcr.io/org/app with spaces',
  'ghcr.io/org/app\u0000',
  '   ',
  'ghcr.io/-app',
  'ghcr.io/app--',
  '-ghcr.io/app',
  'exa_mple.com/app',
];

const imagePolicyFamilies: Family[] = [
  (r) => {
    const [path, values, prepare] = r.pick(IMAGEPOLICY_WRONG_TYPES);
    return schemaViolation('wrong JSON type', path, r.pick(values), prepare);
  },
  (r) => {
    const [path, value, prepare] = r.pick(IMAGEPOLICY_REQUIRED);
    return schemaViolation(value === DELETE ? 'required field missing' : 'required field empty', path, value, prepare);
  },
  (r) => {
    const [path, values, prepare] = r.pick(IMAGEPOLICY_PATTERNS);
    return schemaViolation('not an allowed value', path, r.pick(values), prepare);
  },
  (r) => schemaViolation('not a duration', 'interval', r.pick(NOT_DURATIONS)),
  (r) => {
    const path = r.pick(['gitSyncRef.name', 'secretRef.name']);
    return schemaViolation('a reference to a name no object can have', path, hostileName(r));
  },
  (r) => {
    const image = r.chance(0.1)
      ? `ghcr.io/${'a/'.repeat(r.int(200, 50_000))}x`
      : r.chance(0.1)
        ? withControl(r, 'ghcr.io/org/app')
        : r.pick(HOSTILE_IMAGES);
    return { what: `hostile image ${quote(image)}`, change: (spec) => (spec.image = image), expected: invalidSpec('spec.image') };
  },
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      { what: 'no tag policy', change: (spec) => (spec.policy = {}), expected: invalidSpec('spec.policy') },
      {
        what: 'two tag policies',
        change: (spec) => (spec.policy = { semver: { range: '>=1' }, [r.pick(['alphabetical', 'numerical', 'newestBuild'])]: {} }),
        expected: invalidSpec('spec.policy'),
      },
    ]),
  (r) => {
    const range = r.pick(['not a range', '>=1.0.0 <', '^^1', '   ', `>=${'9'.repeat(300)}.0.0`, '-1']);
    return {
      what: `semver range ${quote(range)}`,
      change: (spec) => (spec.policy = { semver: { range } }),
      expected: invalidSpec('spec.policy.semver.range'),
    };
  },
  (r) => {
    const tag = r.pick(['-bad', 'a b', '.hidden', 'x'.repeat(200), 'main\u0000', '../../x']);
    return {
      what: `digest policy tag ${quote(tag)}`,
      change: (spec) => (spec.policy = { digest: { tag } }),
      expected: invalidSpec('spec.policy.digest.tag'),
    };
  },
  (r, _context, _id, round) => {
    const bad = r.pick(['(', '[', '(?<n>a)(?<n>b)', '\\', '*', '(?P<ts', 'a{2,1}']);
    return inTurn<Mutation>(round, [
      {
        what: `filterTags.pattern ${quote(bad)}`,
        change: (spec) => (spec.filterTags = { pattern: bad }),
        expected: invalidSpec('spec.filterTags.pattern'),
      },
      { what: `allowTags ${quote(bad)}`, change: (spec) => (spec.allowTags = bad), expected: invalidSpec('spec.allowTags') },
      {
        what: 'filterTags.extract names a group the pattern lacks',
        change: (spec) => (spec.filterTags = { pattern: '^main-(?P<ts>[0-9]+)$', extract: r.pick(['$nope', '${constructor}', '$2', '$']) }),
        expected: invalidSpec('spec.filterTags.extract'),
      },
    ]);
  },
  (r, _context, _id, round) => {
    const path = r.pick(['../x', '/etc', 'a/../../b', '..']);
    return inTurn<Mutation>(round, [
      {
        what: `writeBack.path ${quote(path)}`,
        change: (spec) => (spec.writeBack = { path }),
        expected: invalidSpec('spec.writeBack.path'),
      },
      {
        what: `writeBack.kustomization.file ${quote(path)}`,
        change: (spec) => (spec.writeBack = { kustomization: { file: path } }),
        expected: invalidSpec('spec.writeBack.kustomization.file'),
      },
      {
        what: `writeBack.helmValues[0].file ${quote(path)}`,
        change: (spec) => (spec.writeBack = { helmValues: [{ file: path, key: 'image.tag', part: 'tag' }] }),
        expected: invalidSpec('spec.writeBack.helmValues[0].file'),
      },
    ]);
  },
  (r) => {
    const values: Json = {
      branch: 'main',
      commitMessage: 'bump',
      author: { name: 'Wren', email: 'wren@wren.dev' },
      kustomization: {},
      helmValues: [{ file: 'values.yaml', key: 'image.tag', part: 'tag' }],
    };
    const field = r.pick(Object.keys(values));
    return {
      what: `method override with git-only ${field}`,
      change: (spec) => (spec.writeBack = { method: 'override', [field]: values[field] }),
      expected: invalidSpec(`spec.writeBack.${field}`),
    };
  },
  (r) => {
    const branch = r.pick(['-x', 'a..b', '--upload-pack=touch /tmp/pwned', 'a b', 'x\u0000', 'main;id', '$(id)']);
    return {
      what: `writeBack.branch ${quote(branch)}`,
      change: (spec) => (spec.writeBack = { branch }),
      expected: invalidSpec('spec.writeBack.branch'),
    };
  },
  (r) => {
    const duration = tooLongDuration(r);
    return {
      what: `interval ${duration} is longer than anything can wait`,
      change: (spec) => (spec.interval = duration),
      expected: invalidSpec('spec.interval'),
    };
  },
  (_r, _context, id) => ({
    what: 'gitSyncRef names a GitSync that does not exist',
    change: (spec) => (spec.gitSyncRef = { name: `missing-${id}` }),
    expected: reported('GitSyncNotFound', 'spec.gitSyncRef'),
  }),
];

// ---------------------------------------------------------------------------------------------
// MetricTemplate and AlertProvider: a few each.

const metricTemplateBase = (): Json => ({
  provider: { type: 'prometheus', address: 'http://prometheus.test:9090' },
  query: 'sum(rate(http_requests_total{namespace="{{ namespace }}"}[{{ interval }}]))',
});

const metricTemplateFamilies: Family[] = [
  (r) => {
    const address = hostileHttpUrl(r);
    return {
      what: `address ${quote(address)}`,
      change: (spec) => setPath(spec, 'provider.address', address),
      expected: invalidSpec('spec.provider.address'),
    };
  },
  (r, _context, _id, round) => {
    const query = hostileQuery(r, false, round);
    return { what: `hostile query ${quote(query)}`, change: (spec) => (spec.query = query), expected: invalidSpec('spec.query') };
  },
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      { what: 'prometheus without a query', change: (spec) => delete spec.query, expected: invalidSpec('spec.query') },
      {
        what: 'web without an address',
        change: (spec) => Object.assign(spec, { provider: { type: 'web' }, web: { jsonPath: '$.value' } }),
        expected: invalidSpec('spec.provider.address'),
      },
      { what: 'web settings on prometheus', change: (spec) => (spec.web = { jsonPath: '$.value' }), expected: invalidSpec('spec.web') },
    ]),
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      schemaViolation('not one of the allowed values', 'provider.type', r.pick(['graphite', 'Prometheus', ''])),
      schemaViolation('wrong JSON type', 'provider.headers.X-Scope', r.pick(['tenant', 1])),
      schemaViolation('not a duration', 'provider.timeout', r.pick(NOT_DURATIONS)),
      schemaViolation('a reference to a name no object can have', 'provider.secretRef.name', hostileName(r)),
    ]),
];

const alertProviderBase = (): Json => ({ type: 'slack', secretRef: { name: 'slack-url' } });

const alertProviderFamilies: Family[] = [
  (r) => {
    const address = hostileHttpUrl(r);
    return { what: `address ${quote(address)}`, change: (spec) => (spec.address = address), expected: invalidSpec('spec.address') };
  },
  (r) => {
    const proxy = hostileHttpUrl(r);
    return { what: `proxy ${quote(proxy)}`, change: (spec) => (spec.proxy = proxy), expected: invalidSpec('spec.proxy') };
  },
  () => ({ what: 'neither address nor secretRef', change: (spec) => delete spec.secretRef, expected: invalidSpec('spec.secretRef') }),
  (r, _context, _id, round) =>
    inTurn<Mutation>(round, [
      schemaViolation('not one of the allowed values', 'type', r.pick(['email', 'Slack', 'pagerduty'])),
      schemaViolation('wrong JSON type', 'address', r.pick([5, ['https://hooks.slack.com/x']])),
      schemaViolation('a reference to a name no object can have', 'secretRef.name', hostileName(r)),
    ]),
];

// ---------------------------------------------------------------------------------------------

interface KindPlan {
  type: ResourceType;
  prefix: string;
  base: (context: MalformedContext) => Json;
  families: Family[];
}

const PLANS: Record<MalformedKind, KindPlan> = {
  Canary: { type: CANARIES, prefix: 'cn', base: canaryBase, families: canaryFamilies },
  GitSync: { type: GIT_SYNCS, prefix: 'gs', base: gitSyncBase, families: gitSyncFamilies },
  ImagePolicy: { type: IMAGE_POLICIES, prefix: 'ip', base: imagePolicyBase, families: imagePolicyFamilies },
  MetricTemplate: { type: METRIC_TEMPLATES, prefix: 'mt', base: metricTemplateBase, families: metricTemplateFamilies },
  AlertProvider: { type: ALERT_PROVIDERS, prefix: 'ap', base: alertProviderBase, families: alertProviderFamilies },
};

/**
 * The cases for one seed: case i of a kind takes family i mod (number of families), so every family
 * is covered, and draws its details from a generator seeded by (seed, kind, i).
 */
export function malformedCases(
  seed: number,
  context: MalformedContext,
  counts: Record<MalformedKind, number> = DEFAULT_COUNTS,
): MalformedCase[] {
  const cases: MalformedCase[] = [];
  for (const [kind, count] of Object.entries(counts) as [MalformedKind, number][]) {
    const plan = PLANS[kind];
    for (let index = 0; index < count; index++) {
      const id = `${plan.prefix}-${String(index).padStart(3, '0')}`;
      const r = new Rng(hash(`${seed}:${kind}:${index}`));
      const family = plan.families[index % plan.families.length] as Family;
      const mutation = family(r, context, id, Math.floor(index / plan.families.length));
      const spec = clone(plan.base(context));
      mutation.change(spec);
      cases.push({
        id,
        type: plan.type,
        what: mutation.what,
        object: { apiVersion: 'wren.dev/v1alpha1', kind, metadata: { name: id, namespace: context.namespace }, spec } as KubeObject,
        expected: mutation.expected,
      });
    }
  }
  return cases;
}
