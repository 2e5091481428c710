/** A JSON Schema (draft 2020-12) node as the OpenAPI document holds it. */
export type JsonSchema = Record<string, unknown>;

/**
 * One line that a reader takes in at a glance: `string`, `integer`, `"public" | "private"`, `array of Phase`,
 * `Leaderboard | null`, `map of string → MetricValue`. `$ref`s show the component's name.
 */
export function describeJsonSchema(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return schema.$ref.replace(/^#\/components\/schemas\//, '');
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(describeJsonSchema).join(' | ');
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (type === 'array') {
    if (Array.isArray(schema.prefixItems)) return `[${(schema.prefixItems as JsonSchema[]).map(describeJsonSchema).join(', ')}]`;
    return `array of ${describeJsonSchema(schema.items as JsonSchema)}`;
  }
  if (type === 'object') {
    const extra = schema.additionalProperties;
    if (!schema.properties && extra && typeof extra === 'object') return `map of string → ${describeJsonSchema(extra as JsonSchema)}`;
    return 'object';
  }
  if (type === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
  if (type === 'string' && typeof schema.pattern === 'string') return `string matching ${schema.pattern}`;
  return typeof type === 'string' ? type : 'any';
}

/** The properties of an object schema, in order, with whether each is required. */
export function schemaProperties(schema: JsonSchema): Array<{ name: string; required: boolean; schema: JsonSchema }> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, required: required.has(name), schema: property }));
}
