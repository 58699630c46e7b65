// postBuild variable substitution with Flux's syntax: ${VAR}, ${VAR:=default}, ${VAR:-default}, and
// $${VAR} for a literal ${VAR}. A variable that is neither set nor defaulted fails the sync (Flux's
// strict mode): applying a literal "${DOMAIN}" to the cluster is never what anyone meant.
//
// Unlike Flux, which substitutes in the serialized YAML, Wren substitutes inside each string value
// and leaves keys alone. A value can then never inject YAML structure (a variable holding "a: b" or a
// newline stays text), and a quoted "${PORT}" stays a string. The price: `replicas: ${REPLICAS}`
// becomes the string "3", which the API server rejects loudly rather than Wren guessing a type.
import type { KubeObject } from '../../kube/objects.ts';
import { describeObject, type RenderedObject } from '../rendered-object.ts';
import { SyncError } from '../sync-error.ts';

const DISABLE_KEYS = ['kustomize.toolkit.fluxcd.io/substitute', 'wren.dev/substitute'];

// `$${` is the escape; otherwise ${NAME}, ${NAME:=default} or ${NAME:-default}. Anything else that
// merely looks similar (${1}, ${#x}, ${a[@]} in an embedded shell script) is left as written.
const REFERENCE = /\$\$\{|\$\{([_a-zA-Z][_a-zA-Z0-9]*)(?::[=-]([^}]*))?\}/g;

/** Whether the object opted out of substitution by annotation or label. */
export function substitutionDisabled(object: KubeObject): boolean {
  const { annotations = {}, labels = {} } = object.metadata ?? {};
  return DISABLE_KEYS.some((key) => annotations[key] === 'disabled' || labels[key] === 'disabled');
}

/** One string with its references replaced; `missing` is called for a variable without value or default. */
export function substituteString(text: string, variables: Record<string, string>, missing: (name: string) => never): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return '${';
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    // Like the shell's :- and :=, a default also stands in for a variable set to "".
    if (fallback !== undefined && (value === undefined || value === '')) return fallback;
    return value ?? missing(name);
  });
}

function substituteValue(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => substituteValue(item, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteValue(item, replace)]));
  }
  return value;
}

export function substituteVariables(objects: RenderedObject[], variables: Record<string, string>): RenderedObject[] {
  return objects.map((rendered) => {
    if (substitutionDisabled(rendered.object)) return rendered;
    const missing = (name: string): never => {
      throw new SyncError('substitute', `variable ${name} is not set`, { file: rendered.source, object: describeObject(rendered.object) });
    };
    const object = substituteValue(rendered.object, (text) => substituteString(text, variables, missing)) as KubeObject;
    return { ...rendered, object };
  });
}
