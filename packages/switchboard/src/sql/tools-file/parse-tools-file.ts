import type { Document } from 'yaml';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import type { ToolsConfig } from './config-schema.js';
import { configSchema } from './config-schema.js';
import { SubstitutionError, substitute } from './env-substitution.js';
import { ToolsFileError } from './tools-file-error.js';

type Path = readonly (string | number)[];

/** A validated tools file, and a way to point at any part of it in messages. */
export interface ParsedToolsFile {
  readonly config: ToolsConfig;
  /** `file:line:column` of a part of the config (its section, entry name and fields), as precisely as known. */
  locate(path: Path): string;
}

/** How a tools file is read. */
export interface ParseOptions {
  /** Values for `${NAME}` references (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Shown in messages (default `tools.yaml`). */
  path?: string;
}

const SECTIONS: Record<string, 'sources' | 'tools' | 'toolsets'> = {
  source: 'sources',
  sources: 'sources',
  tool: 'tools',
  tools: 'tools',
  toolset: 'toolsets',
  toolsets: 'toolsets',
};

/** MCP Toolbox fields this gateway deliberately does not take, and what to use instead. */
const REFUSED: Record<string, string> = {
  templateParameters:
    'templateParameters splice values into the SQL text; use parameters (always bound) and orderBy for sort columns',
  authRequired: 'authRequired is not supported; use scopes (enforced by switchboard-mcp/auth)',
  authServices: 'authServices parameters are not supported; bind caller claims with identity.claims in SQL',
  secure: 'secure parameters are not supported',
  escape: 'escape only applies to templateParameters, which are not supported',
  excludedValues: 'excludedValues is not supported; use allowedValues',
};

/**
 * Parses a tools.yaml: the `sources:` / `tools:` / `toolsets:` maps, or MCP Toolbox's documents of
 * `kind: source|tool|toolset` with a `name` (both may be mixed). `${NAME}` is substituted in every string value
 * except `statement`: SQL text comes from the file alone. Everything is validated before anything is opened.
 */
export function parseToolsFile(text: string, options: ParseOptions = {}): ParsedToolsFile {
  const file = options.path ?? 'tools.yaml';
  const env = options.env ?? process.env;
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines });
  const docs = Array.isArray(documents) ? documents : [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error !== undefined) throw new ToolsFileError(`${at(error.pos[0])}: ${error.message.split('\n')[0]}`);
  }

  const config: Record<string, Record<string, unknown>> = { sources: {}, tools: {}, toolsets: {} };
  const origins = new Map<string, { doc: Document; path: Path }>();
  const top: Record<string, unknown> = {};
  docs.forEach((doc) => {
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ToolsFileError(`${at(doc.contents?.range?.[0])}: expected a map of sources, tools and toolsets`);
    }
    const entry = value as Record<string, unknown>;
    const kind = entry.kind;
    if (typeof kind === 'string' && typeof entry.name === 'string' && SECTIONS[kind] !== undefined) {
      // MCP Toolbox's document form: one source, tool or toolset per document.
      const { kind: _kind, name, ...rest } = entry;
      const section = SECTIONS[kind] as string;
      const body = section === 'toolsets' ? rest.tools : toolboxAliases(rest);
      add(config, origins, section, name, body, doc, section === 'toolsets' ? ['tools'] : [], at);
      return;
    }
    for (const [key, section] of Object.entries(entry)) {
      if (key === 'sources' || key === 'tools' || key === 'toolsets') {
        if (section === null || typeof section !== 'object' || Array.isArray(section)) {
          throw new ToolsFileError(`${locateIn(doc, [key], at)}: ${key} must be a map of names to definitions`);
        }
        for (const [name, body] of Object.entries(section)) {
          add(config, origins, key, name, key === 'toolsets' ? body : toolboxAliases(body), doc, [key, name], at);
        }
      } else {
        if (key in top) throw new ToolsFileError(`${locateIn(doc, [key], at)}: ${key} is set twice`);
        top[key] = entry[key];
        origins.set(key, { doc, path: [key] });
      }
    }
  });

  const locate = (path: Path): string => {
    const entry = origins.get(`${path[0]}/${path[1]}`);
    if (entry !== undefined) return locateIn(entry.doc, [...entry.path, ...path.slice(2)], at);
    const topEntry = origins.get(String(path[0]));
    return topEntry === undefined ? file : locateIn(topEntry.doc, [...topEntry.path, ...path.slice(1)], at);
  };

  const merged: Record<string, unknown> = { ...top, ...config };
  refuseToolboxOnly(merged, locate);
  substituteAll(merged, env, [], locate);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ToolsFileError(formatIssues(parsed.error.issues, locate));
  checkReferences(parsed.data, locate);
  return { config: parsed.data, locate };
}

function add(
  config: Record<string, Record<string, unknown>>,
  origins: Map<string, { doc: Document; path: Path }>,
  section: string,
  name: string,
  body: unknown,
  doc: Document,
  path: Path,
  at: (offset: number | undefined) => string,
): void {
  const entries = config[section] as Record<string, unknown>;
  if (name in entries) {
    throw new ToolsFileError(`${locateIn(doc, path, at)}: ${section.slice(0, -1)} "${name}" is defined twice`);
  }
  entries[name] = body;
  origins.set(`${section}/${name}`, { doc, path });
}

/** MCP Toolbox spells some fields differently: `type` for the kind, `scopesRequired`, `maxResponseBytes`. */
function toolboxAliases(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { type, scopesRequired, maxResponseBytes, ...rest } = body as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (type !== undefined && out.kind === undefined) out.kind = type;
  if (scopesRequired !== undefined && out.scopes === undefined) out.scopes = scopesRequired;
  if (maxResponseBytes !== undefined && out.maxBytes === undefined) out.maxBytes = maxResponseBytes;
  return out;
}

type Ranged = { range?: [number, number, number] | null };

/**
 * The position of the deepest part of `path` that exists in the document: the key that names a field or entry, an
 * item of a list, or the document itself.
 */
function locateIn(doc: Document, path: Path, at: (offset: number | undefined) => string): string {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = (depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true)) as unknown;
    const last = path[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
      const range = (pair?.key as Ranged | null | undefined)?.range;
      if (range) return at(range[0]);
    } else if (isSeq(parent) && typeof last === 'number') {
      const range = (parent.items[last] as Ranged | undefined)?.range;
      if (range) return at(range[0]);
    }
  }
  return at((doc.contents as Ranged | null)?.range?.[0] ?? undefined);
}

function refuseToolboxOnly(config: Record<string, unknown>, locate: (path: Path) => string): void {
  const tools = (config.tools ?? {}) as Record<string, unknown>;
  for (const [name, tool] of Object.entries(tools)) {
    if (tool === null || typeof tool !== 'object') continue;
    const fields = tool as Record<string, unknown>;
    for (const field of Object.keys(fields)) {
      const why = REFUSED[field];
      if (why !== undefined) throw new ToolsFileError(`${locate(['tools', name, field])}: tool "${name}": ${why}`);
    }
    const parameters = Array.isArray(fields.parameters) ? fields.parameters : [];
    parameters.forEach((parameter, index) => {
      for (const field of Object.keys((parameter ?? {}) as object)) {
        const why = REFUSED[field];
        if (why !== undefined) {
          throw new ToolsFileError(`${locate(['tools', name, 'parameters', index, field])}: tool "${name}": ${why}`);
        }
      }
    });
  }
}

/** Substitutes `${…}` in place, in every string value except the SQL itself. */
function substituteAll(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: Path,
  locate: (path: Path) => string,
): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    if (typeof child === 'string' && key !== 'statement') {
      try {
        (value as Record<string, unknown>)[key] = substitute(child, env);
      } catch (error) {
        if (!(error instanceof SubstitutionError)) throw error;
        throw new ToolsFileError(`${locate(here)}: ${error.message}`);
      }
    } else {
      substituteAll(child, env, here, locate);
    }
  }
}

function formatIssues(issues: readonly z.core.$ZodIssue[], locate: (path: Path) => string): string {
  return issues
    .slice(0, 10)
    .map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .slice(1);
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `"${k}"`).join(', ');
        return `${locate([...path, issue.keys[0] as string])}: ${where || '(top level)'}: unknown field ${keys}`;
      }
      return `${locate(path)}: ${where || '(top level)'}: ${issue.message}`;
    })
    .join('\n');
}

function checkReferences(config: ToolsConfig, locate: (path: Path) => string): void {
  const sources = Object.keys(config.sources);
  for (const [name, tool] of Object.entries(config.tools)) {
    if (tool.source === undefined && sources.length !== 1) {
      throw new ToolsFileError(
        `${locate(['tools', name])}: tool "${name}" must name its source (one of ${sources.join(', ') || 'none defined'})`,
      );
    }
    if (tool.source !== undefined && config.sources[tool.source] === undefined) {
      throw new ToolsFileError(
        `${locate(['tools', name, 'source'])}: tool "${name}" uses source "${tool.source}", which is not defined (sources: ${sources.join(', ') || 'none'})`,
      );
    }
  }
  for (const [name, members] of Object.entries(config.toolsets ?? {})) {
    members.forEach((member, index) => {
      if (config.tools[member] === undefined) {
        throw new ToolsFileError(
          `${locate(['toolsets', name, index])}: toolset "${name}" lists tool "${member}", which is not defined`,
        );
      }
    });
  }
}
