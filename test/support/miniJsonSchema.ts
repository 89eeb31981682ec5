/**
 * A tiny JSON Schema checker for the keywords our documented schemas use (type, const, enum,
 * required, properties, additionalProperties: false, items, pattern, maxLength, minimum, oneOf,
 * local $ref). Not a general validator: it lets tests hold a schema file and real payloads together
 * without adding a dependency. Returns a list of problems (empty when valid).
 */
type Schema = Record<string, unknown>;

export function checkAgainstSchema(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (!ref.startsWith('#/')) return [`${path}: unsupported $ref ${ref}`];
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root) as Schema | undefined;
    if (!target) return [`${path}: unresolved $ref ${ref}`];
    return checkAgainstSchema(value, target, root, path);
  }
  const problems: string[] = [];
  if ('const' in schema && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) problems.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t))) return [...problems, `${path}: expected type ${types.join('|')}`];
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => checkAgainstSchema(value, s, root, path).length === 0).length;
    if (passing !== 1) problems.push(`${path}: matches ${passing} of oneOf`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${path}: does not match ${schema.pattern}`);
    if (typeof schema.maxLength === 'number' && Array.from(value).length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...checkAgainstSchema(item, schema.items as Schema, root, `${path}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) problems.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) problems.push(...checkAgainstSchema(v, props[key], root, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${key}`);
    }
  }
  return problems;
}

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
