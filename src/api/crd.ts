// Turns a TypeBox schema into the CustomResourceDefinition the API server enforces. Kubernetes
// wants "structural" schemas: every node typed, no const, no anyOf of alternatives, maps written as
// additionalProperties. TypeBox writes some of these differently, so each is translated here; a
// construct with no structural equivalent is refused, so a schema that cannot be enforced never ships.
import { API_VERSION_NAME, GROUP } from './group.ts';
import type { KindDefinition } from './kinds.ts';

type JsonSchema = Record<string, unknown>;

const KEPT_KEYWORDS = new Set([
  'type',
  'description',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'default',
  'enum',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
]);

export function toStructuralSchema(schema: JsonSchema, path = ''): JsonSchema {
  if (schema['x-kubernetes-int-or-string']) {
    return withDescription({ 'x-kubernetes-int-or-string': true }, schema);
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) {
    return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, schema);
  }
  if (Array.isArray(schema.anyOf)) return literalUnionToEnum(schema, path);
  if ('const' in schema) return withDescription({ type: typeof schema.const, enum: [schema.const] }, schema);
  if (schema.type === undefined) {
    // Type.Unknown(): any JSON value.
    return withDescription({ 'x-kubernetes-preserve-unknown-fields': true }, schema);
  }

  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT_KEYWORDS.has(key)) out[key] = value;
  }
  // TypeBox writes exclusive bounds as numbers (JSON Schema 2019); OpenAPI v3.0, which the API server
  // reads, writes the bound in minimum/maximum and a boolean beside it.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[exclusive] === 'number') {
      out[bound] = schema[exclusive];
      out[exclusive] = true;
    }
  }
  if (schema.type === 'object') {
    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    // An empty properties map is dropped by the API server, so the stored CRD would differ from
    // crds/ and every apply of it by another field manager would conflict.
    if (properties && Object.keys(properties).length > 0) {
      out.properties = Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [name, toStructuralSchema(child, `${path}.${name}`)]),
      );
      if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
    }
    const patternProperties = schema.patternProperties as Record<string, JsonSchema> | undefined;
    if (patternProperties) {
      const [valueSchema] = Object.values(patternProperties);
      if (!valueSchema) throw new Error(`${path}: empty patternProperties`);
      out.additionalProperties = toStructuralSchema(valueSchema, `${path}[*]`);
    }
  }
  if (schema.type === 'array') {
    out.items = toStructuralSchema(schema.items as JsonSchema, `${path}[]`);
  }
  if (schema.type === 'null') throw new Error(`${path}: null types have no structural equivalent`);
  return out;
}

function literalUnionToEnum(schema: JsonSchema, path: string): JsonSchema {
  const members = schema.anyOf as JsonSchema[];
  if (!members.every((member) => 'const' in member)) {
    throw new Error(`${path}: only unions of literals (enums) or int-or-string can be written as a CRD schema`);
  }
  const values = members.map((member) => member.const);
  const types = new Set(values.map((value) => typeof value));
  if (types.size !== 1) throw new Error(`${path}: enum members must share one type`);
  return withDescription({ type: [...types][0], enum: values }, schema);
}

function withDescription(out: JsonSchema, source: JsonSchema): JsonSchema {
  return typeof source.description === 'string' ? { ...out, description: source.description } : out;
}

/** The whole-object schema with metadata left to the API server, as CRDs require. */
export function openApiSchemaOf(definition: KindDefinition): JsonSchema {
  const structural = toStructuralSchema(definition.schema as unknown as JsonSchema);
  const properties = { ...(structural.properties as Record<string, JsonSchema>), metadata: { type: 'object' } };
  return { ...structural, properties };
}

export function toCustomResourceDefinition(definition: KindDefinition): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: definition.shortNames,
        categories: ['wren'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION_NAME,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: definition.printerColumns,
          schema: { openAPIV3Schema: openApiSchemaOf(definition) },
        },
      ],
    },
  };
}
