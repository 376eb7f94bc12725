import { z } from 'zod';

/** Numbers and flags may be written as text too: that is what `${PORT}` becomes. */
const fromText = (pattern: RegExp, to: (text: string) => unknown) => (value: unknown) =>
  typeof value === 'string' && pattern.test(value) ? to(value) : value;
const count = z.preprocess(
  fromText(/^\d+$/, Number),
  z.number({ error: 'expected a whole number' }).int('expected a whole number').positive('expected a positive number'),
);
const number = z.preprocess(fromText(/^-?\d+(\.\d+)?$/, Number), z.number({ error: 'expected a number' }));
const flag = z.preprocess(
  fromText(/^(true|false)$/, (text) => text === 'true'),
  z.boolean({ error: 'expected true or false' }),
);

/** What a source and a tool may both set; a tool's value wins over its source's. */
const limits = {
  role: z.string().min(1).optional(),
  claims: z.union([z.string(), z.literal(false)]).optional(),
  timeoutMs: count.optional(),
  lockTimeoutMs: count.optional(),
  maxRows: count.optional(),
  maxBytes: count.optional(),
  plan: z.enum(['custom', 'generic', 'auto']).optional(),
  jit: flag.optional(),
};

/** A source: the database and the defaults its tools inherit. */
export const sourceSchema = z.strictObject({
  kind: z.enum(['postgres', 'pglite']),
  description: z.string().optional(),
  // An empty url is no url: `url: ${DATABASE_URL:-}` leaves it to the kind.
  url: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  host: z.string().min(1).optional(),
  port: count.optional(),
  database: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  queryParams: z.record(z.string(), z.string()).optional(),
  dataDir: z.string().min(1).optional(),
  extensions: z.array(z.enum(['pg_trgm', 'citext', 'pgcrypto', 'btree_gin', 'btree_gist', 'fuzzystrmatch'])).optional(),
  poolSize: count.optional(),
  connectTimeoutMs: count.optional(),
  ...limits,
});

const scalarTypes = ['string', 'integer', 'float', 'number', 'boolean'] as const;

const itemSchema = z.strictObject({
  name: z.string().optional(),
  type: z.enum(scalarTypes),
  description: z.string().optional(),
  allowedValues: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .optional(),
  minValue: number.optional(),
  maxValue: number.optional(),
  minLength: count.optional(),
  maxLength: count.optional(),
  pattern: z.string().optional(),
});

/** One tool parameter, in MCP Toolbox's fields plus string and array bounds. */
export const parameterSchema = itemSchema.extend({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a name of letters, digits and _'),
  type: z.enum([...scalarTypes, 'array']),
  required: flag.optional(),
  default: z.unknown().optional(),
  items: itemSchema.optional(),
  minItems: count.optional(),
  maxItems: count.optional(),
});

/** One tool: its SQL, parameters, presentation and limits. */
export const toolSchema = z.strictObject({
  kind: z.enum(['postgres-sql', 'sql']).optional(),
  source: z.string().optional(),
  title: z.string().optional(),
  description: z.string().min(1),
  statement: z.string().min(1),
  parameters: z.array(parameterSchema).optional(),
  annotations: z
    .strictObject({
      title: z.string().optional(),
      readOnlyHint: z.boolean().optional(),
      destructiveHint: z.boolean().optional(),
      idempotentHint: z.boolean().optional(),
      openWorldHint: z.boolean().optional(),
    })
    .optional(),
  scopes: z.array(z.string().min(1)).optional(),
  orderBy: z.union([z.string(), z.record(z.string(), z.record(z.string(), z.string()))]).optional(),
  paginate: flag.optional(),
  result: z.enum(['rows', 'one']).optional(),
  notFound: z.string().optional(),
  costGuard: z.strictObject({ maxRows: number.optional(), maxCost: number.optional() }).optional(),
  ...limits,
});

/** A whole tools file, after the MCP Toolbox spellings are normalised. */
export const configSchema = z.strictObject({
  sources: z.record(z.string(), sourceSchema),
  tools: z.record(z.string(), toolSchema),
  toolsets: z.record(z.string(), z.array(z.string())).optional(),
  /** Signs the cursors of every paginated tool (at least 32 characters); default: random per process. */
  cursorSecret: z.string().min(32, 'expected at least 32 characters').optional(),
  /** How long cursors stay valid, in milliseconds (default one hour). */
  cursorTtlMs: count.optional(),
});

/** A validated tools file. */
export type ToolsConfig = z.output<typeof configSchema>;
/** A validated source. */
export type SourceConfig = z.output<typeof sourceSchema>;
/** A validated tool. */
export type ToolConfig = z.output<typeof toolSchema>;
/** A validated parameter. */
export type ParameterConfig = z.output<typeof parameterSchema>;
