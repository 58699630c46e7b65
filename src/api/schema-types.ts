// Building blocks for the resource schemas. Each helper yields a TypeBox schema that serves three
// purposes at once: the TypeScript type, runtime validation in the operator, and (through crd.ts)
// the structural openAPIV3Schema the API server enforces.
import { Type, FormatRegistry, type TSchema, type TProperties, type ObjectOptions } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => RFC3339.test(value));

export const Duration = (description: string) =>
  Type.String({ pattern: DURATION_PATTERN, description: `${description} (e.g. 30s, 1m, 1h30m)` });

export const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

/** An integer or a string, as Kubernetes' IntOrString (e.g. a port number or a port name). */
export const IntOrString = (description: string) =>
  Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, description });

/** An object Wren passes through without interpreting every field (e.g. a provider's own settings). */
export const FreeForm = (description: string) =>
  Type.Record(Type.String(), Type.Unknown(), { 'x-kubernetes-preserve-unknown-fields': true, description });

export const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });

export const StringList = (description: string) => Type.Array(Type.String(), { description });

export const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

export const Percent = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });

export const Described = <T extends TProperties>(description: string, properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { ...options, description });

// Names as Kubernetes allows them (RFC 1123): a reference to "../../kube-system/x", "a/b", ".." or
// "Admin" can never name an object, so the API server refuses it instead of Wren looking it up.
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** The name of a Kubernetes object another one refers to. */
export const ObjectName = (description = 'Name of the object') =>
  Type.String({ minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN, description });

/** The name of a namespace. */
export const NamespaceName = (description: string) => Type.String({ minLength: 1, maxLength: 63, pattern: DNS_LABEL, description });

export const LocalRef = (description: string) => Described(description, { name: ObjectName() });

export const NamespacedRef = (description: string) =>
  Described(description, {
    name: ObjectName(),
    namespace: Type.Optional(NamespaceName("Namespace of the object (default: the referrer's)")),
  });

/** Standard Kubernetes condition, as in metav1.Condition. */
export const Condition = Described('A condition of the resource', {
  type: Type.String({ description: 'Type of the condition, e.g. Ready' }),
  status: Enum(['True', 'False', 'Unknown'] as const, 'Status of the condition'),
  reason: Type.String({ description: 'One-word CamelCase reason for the last transition' }),
  message: Type.Optional(Type.String({ description: 'Human-readable details' })),
  lastTransitionTime: Type.Optional(Timestamp('When the status last changed')),
  observedGeneration: Type.Optional(Type.Integer({ description: 'The .metadata.generation the condition was set for' })),
});

/** Wraps spec and status in the envelope every Kubernetes object has. */
export function KubernetesObject<S extends TSchema, T extends TSchema>(
  description: string,
  spec: S,
  status: T,
  options: { specRequired: boolean },
) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String()),
      kind: Type.Optional(Type.String()),
      metadata: Type.Optional(ObjectMeta),
      spec: options.specRequired ? spec : Type.Optional(spec),
      status: Type.Optional(status),
    },
    { description },
  );
}

// The API server validates metadata itself; the schema only gives the operator a typed view of it.
export const ObjectMeta = Type.Object({
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  resourceVersion: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  finalizers: Type.Optional(Type.Array(Type.String())),
  deletionTimestamp: Type.Optional(Type.String()),
  creationTimestamp: Type.Optional(Type.String()),
});
