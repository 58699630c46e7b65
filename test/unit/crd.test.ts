import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { parse } from 'yaml';
import { renderChartCrdFiles, renderCrdFiles } from '../../src/api/crd-files.ts';
import { toCustomResourceDefinition, toStructuralSchema } from '../../src/api/crd.ts';
import { CANARY, WREN_KINDS } from '../../src/api/kinds.ts';
import { Enum, FreeForm, IntOrString, StringMap } from '../../src/api/schema-types.ts';

const structural = (schema: unknown) => toStructuralSchema(schema as Record<string, unknown>);

function assertGenerated(relative: string, expected: Map<string, string>): void {
  const dir = new URL(`../../${relative}`, import.meta.url);
  assert.deepEqual(readdirSync(dir).sort(), [...expected.keys()].sort(), `${relative} holds exactly the generated files`);
  for (const [name, content] of expected) {
    assert.equal(readFileSync(new URL(name, dir), 'utf8'), content, `${relative}${name} is stale`);
  }
}

test('crds/ is generated from src/api and up to date (run npm run gen:crds)', () => {
  assertGenerated('crds/', renderCrdFiles());
});

test("the Helm chart's crds/ holds the same CRDs as crds/, without the kustomization (run npm run gen:crds)", () => {
  const chartFiles = renderChartCrdFiles();
  assertGenerated('charts/wren/crds/', chartFiles);
  const kustomizeFiles = renderCrdFiles();
  assert.deepEqual([...chartFiles.keys()].sort(), [...kustomizeFiles.keys()].filter((name) => name !== 'kustomization.yaml').sort());
  for (const [name, content] of chartFiles)
    assert.equal(content, kustomizeFiles.get(name), `charts/wren/crds/${name} differs from crds/${name}`);
});

test('literal unions become enums, maps become additionalProperties', () => {
  assert.deepEqual(structural(Enum(['a', 'b'] as const, 'pick one')), { type: 'string', enum: ['a', 'b'], description: 'pick one' });
  assert.deepEqual(structural(StringMap('labels')), {
    type: 'object',
    description: 'labels',
    additionalProperties: { type: 'string' },
  });
  assert.deepEqual(structural(Type.Literal('only')), { type: 'string', enum: ['only'] });
});

test('int-or-string and free-form objects use the Kubernetes extensions', () => {
  assert.deepEqual(structural(IntOrString('port')), { 'x-kubernetes-int-or-string': true, description: 'port' });
  assert.deepEqual(structural(FreeForm('anything')), {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    description: 'anything',
  });
  assert.deepEqual(structural(Type.Unknown()), { 'x-kubernetes-preserve-unknown-fields': true });
});

test('an object with no fields has no empty properties map, which the API server would drop and make every re-apply conflict', () => {
  assert.deepEqual(structural(Type.Object({}, { description: 'a choice with no settings' })), {
    type: 'object',
    description: 'a choice with no settings',
  });
  const emptyMaps: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && Object.keys(child as object).length === 0) emptyMaps.push(path);
      visit(child, `${path}.${key}`);
    }
  };
  for (const kind of WREN_KINDS) visit(toCustomResourceDefinition(kind), kind.kind);
  assert.deepEqual(emptyMaps, []);
});

test('constructs with no structural equivalent are refused, not silently weakened', () => {
  assert.throws(() => structural(Type.Union([Type.String(), Type.Object({ a: Type.String() })])), /only unions of literals/);
  assert.throws(() => structural(Type.Null()), /null types/);
  assert.throws(() => structural(Enum(['1', 2] as unknown as readonly string[], 'mixed')), /share one type/);
});

test('every CRD keeps required fields, the status subresource and metadata as the API server wants', () => {
  for (const definition of WREN_KINDS) {
    const crd = toCustomResourceDefinition(definition) as {
      metadata: { name: string };
      spec: {
        versions: { subresources: unknown; schema: { openAPIV3Schema: { properties: Record<string, unknown>; required?: string[] } } }[];
      };
    };
    assert.equal(crd.metadata.name, `${definition.plural}.wren.dev`);
    const [version] = crd.spec.versions;
    assert.deepEqual(version?.subresources, { status: {} });
    assert.deepEqual(version?.schema.openAPIV3Schema.properties.metadata, { type: 'object' });
    assert.deepEqual(version?.schema.openAPIV3Schema.required, ['spec']);
  }
  const canarySpec = parse(readFileSync(new URL('../../crds/canaries.yaml', import.meta.url), 'utf8')).spec.versions[0].schema
    .openAPIV3Schema.properties.spec;
  assert.deepEqual(canarySpec.required, ['targetRef', 'service', 'analysis']);
  assert.equal(CANARY.shortNames[0], 'cn');
});

test('exclusive bounds become the OpenAPI v3.0 form the API server reads: the bound in minimum/maximum, a boolean beside it', () => {
  assert.deepEqual(toStructuralSchema(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })), {
    type: 'number',
    minimum: 0,
    maximum: 1,
    exclusiveMinimum: true,
    exclusiveMaximum: true,
  });
});
