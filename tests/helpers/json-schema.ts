/**
 * @module
 * A small JSON Schema (draft 2020-12) validator for the subset the published schemas in
 * `schema/` use: type (one or a list), required, properties, additionalProperties, enum,
 * const, items, oneOf, anyOf, minimum, maximum and `$ref` to a JSON pointer in the same
 * document. Any other assertion keyword throws, so a schema cannot lean on a rule these
 * tests would silently skip; annotations (description, examples, format, ...) are ignored,
 * as 2020-12 itself treats `format` by default.
 */

/** A schema: an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'title',
  'description',
  'examples',
  'default',
  'format',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

type Check = (schema: Record<string, unknown>, value: unknown, at: string, context: Context) => string[];

interface Context {
  root: JsonSchema;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      throw new Error(`unsupported type ${JSON.stringify(type)}`);
  }
}

/** Structural equality, as `enum` and `const` compare (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

function resolve(ref: string, root: JsonSchema): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}: only pointers into the same schema`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const name = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[name] : undefined;
  }
  if (typeof node !== 'boolean' && !isObject(node)) throw new Error(`$ref ${ref} points at nothing`);
  return node;
}

/** The JSON pointer of the value at fault, `/` for the whole document. */
const where = (at: string): string => (at === '' ? '/' : at);

const preview = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Runs each branch; returns how many matched and the errors of the closest miss. */
function branches(list: unknown, value: unknown, at: string, context: Context) {
  if (!Array.isArray(list)) throw new Error(`${where(at)}: oneOf/anyOf must be a list`);
  const results = list.map((branch) => check(branch as JsonSchema, value, at, context));
  const matched = results.filter((errors) => errors.length === 0).length;
  const closest = results.reduce(
    (best, errors) => (errors.length < best.length ? errors : best),
    results[0] ?? [],
  );
  return { matched, count: list.length, closest };
}

const KEYWORDS: Readonly<Record<string, Check>> = {
  type: (s, v, at) => {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    return types.some((t) => typeMatches(t, v))
      ? []
      : [`${where(at)}: expected ${types.join(' or ')}, got ${preview(v)}`];
  },
  enum: (s, v, at) => {
    const options = s.enum as unknown[];
    return options.some((o) => jsonEqual(o, v))
      ? []
      : [`${where(at)}: ${preview(v)} is not one of ${preview(options)}`];
  },
  const: (s, v, at) =>
    jsonEqual(s.const, v) ? [] : [`${where(at)}: expected ${preview(s.const)}, got ${preview(v)}`],
  minimum: (s, v, at) =>
    typeof v === 'number' && v < (s.minimum as number)
      ? [`${where(at)}: ${v} is below ${String(s.minimum)}`]
      : [],
  maximum: (s, v, at) =>
    typeof v === 'number' && v > (s.maximum as number)
      ? [`${where(at)}: ${v} is above ${String(s.maximum)}`]
      : [],
  required: (s, v, at) =>
    isObject(v)
      ? (s.required as string[])
          .filter((k) => !Object.hasOwn(v, k))
          .map((k) => `${where(at)}: missing "${k}"`)
      : [],
  properties: (s, v, at, context) => {
    if (!isObject(v)) return [];
    const properties = s.properties as Record<string, JsonSchema>;
    return Object.entries(properties)
      .filter(([name]) => Object.hasOwn(v, name))
      .flatMap(([name, schema]) => check(schema, v[name], `${at}/${name}`, context));
  },
  additionalProperties: (s, v, at, context) => {
    if (!isObject(v)) return [];
    const known = isObject(s.properties) ? s.properties : {};
    const extra = Object.keys(v).filter((name) => !Object.hasOwn(known, name));
    const schema = s.additionalProperties as JsonSchema;
    if (schema === false) return extra.map((name) => `${where(at)}: unexpected property "${name}"`);
    return extra.flatMap((name) => check(schema, v[name], `${at}/${name}`, context));
  },
  items: (s, v, at, context) =>
    Array.isArray(v) ? v.flatMap((item, i) => check(s.items as JsonSchema, item, `${at}/${i}`, context)) : [],
  anyOf: (s, v, at, context) => {
    const { matched, count, closest } = branches(s.anyOf, v, at, context);
    return matched > 0 ? [] : [`${where(at)}: matches none of ${count} alternatives`, ...closest];
  },
  oneOf: (s, v, at, context) => {
    const { matched, count, closest } = branches(s.oneOf, v, at, context);
    if (matched === 1) return [];
    if (matched > 1)
      return [`${where(at)}: matches ${matched} of ${count} alternatives, expected exactly one`];
    return [`${where(at)}: matches none of ${count} alternatives`, ...closest];
  },
  $ref: (s, v, at, context) => check(resolve(s.$ref as string, context.root), v, at, context),
};

function check(schema: JsonSchema, value: unknown, at: string, context: Context): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${where(at)}: no value is allowed here`];
  if (!isObject(schema)) throw new Error(`${where(at)}: a schema must be an object or a boolean`);
  const errors: string[] = [];
  for (const keyword of Object.keys(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const run = KEYWORDS[keyword];
    if (run === undefined) throw new Error(`unsupported JSON Schema keyword "${keyword}"`);
    errors.push(...run(schema, value, at, context));
  }
  return errors;
}

/**
 * Validates `value` against `schema`, resolving `$ref`s against `root` (default: `schema`).
 * Returns one line per problem, each starting with the JSON pointer of the value at fault
 * (`/session/state: "paused" is not one of [...]`); an empty list means valid. Throws when the
 * schema uses a keyword outside the supported subset.
 */
export function validate(schema: JsonSchema, value: unknown, root: JsonSchema = schema): string[] {
  return check(schema, value, '', { root });
}
