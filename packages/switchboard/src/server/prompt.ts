import { z } from 'zod';
import { HandlerReturnError, RegistrationError } from '../protocol/errors.js';
import type { GetPromptResult, Icon, Params, PromptMessage } from '../protocol/messages.js';
import { describeIssues } from './argument-errors.js';
import type { CompleteFn } from './completion.js';
import { enumCompleter } from './completion.js';
import { isContentBlock } from './content.js';
import type { Context } from './context.js';
import type { ListItem, PromptTarget } from './middleware/types.js';
import { checkScopes } from './scopes.js';

/** Prompt arguments travel as strings, so each field is a string schema (optionally constrained). */
export type PromptArgs = Record<string, z.ZodType<string | undefined>>;

export interface PromptOptions<A extends PromptArgs | undefined> {
  title?: string;
  description?: string;
  args?: A;
  /** Completion for arguments, by name; enum arguments complete themselves. */
  complete?: Record<string, CompleteFn>;
  icons?: Icon[];
  _meta?: Params;
  /** OAuth scopes a caller needs for this prompt; see the tool option of the same name. */
  scopes?: readonly string[];
}

/** A string (one user message), messages (a string among them is a user message), or a whole result. */
export type PromptReturn = string | (string | PromptMessage)[] | GetPromptResult;

export type PromptHandler<A extends PromptArgs | undefined> = (
  args: A extends PromptArgs ? z.output<z.ZodObject<A>> : Record<string, never>,
  ctx: Context,
) => PromptReturn | Promise<PromptReturn>;

export class CompiledPrompt {
  readonly name: string;
  readonly definition: Params;
  readonly complete: Record<string, CompleteFn>;
  readonly target: PromptTarget;
  readonly listItem: ListItem;
  readonly #args: z.ZodObject;
  readonly #handler: (args: never, ctx: Context) => PromptReturn | Promise<PromptReturn>;

  constructor(
    name: string,
    options: PromptOptions<PromptArgs | undefined>,
    handler: (args: never, ctx: Context) => PromptReturn | Promise<PromptReturn>,
  ) {
    this.name = name;
    const shape = options.args ?? {};
    this.#args = z.object(shape);
    this.#handler = handler;
    this.complete = { ...options.complete };
    const args: Params[] = [];
    for (const [argName, schema] of Object.entries(shape)) {
      if (!(schema instanceof z.ZodType))
        throw new RegistrationError(`prompt "${name}": argument "${argName}" needs a zod schema`);
      const arg: Params = { name: argName };
      if (schema.description !== undefined) arg.description = schema.description;
      arg.required = !schema.safeParse(undefined).success;
      args.push(arg);
      const auto = enumCompleter(schema);
      if (auto !== undefined && this.complete[argName] === undefined) this.complete[argName] = auto;
    }
    const definition: Params = { name };
    if (options.title !== undefined) definition.title = options.title;
    if (options.description !== undefined) definition.description = options.description;
    if (args.length > 0) definition.arguments = args;
    if (options.icons !== undefined) definition.icons = options.icons;
    if (options._meta !== undefined) definition._meta = options._meta;
    this.definition = definition;
    const scopes = checkScopes(options.scopes, `prompt "${name}"`);
    this.target = Object.freeze({ kind: 'prompt', name, scopes });
    this.listItem = Object.freeze({ kind: 'prompt', name, scopes, definition });
  }

  /** Parses arguments; a mismatch is a -32602 protocol error listing the fields (prompts have no isError). */
  parseArguments(args: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
    const parsed = this.#args.safeParse(args ?? {}, { reportInput: true });
    if (parsed.success) return { ok: true, value: parsed.data };
    const details = describeIssues(parsed.error.issues).map(
      (p) => `${p.field}: expected ${p.expected}, received ${p.received}`,
    );
    return { ok: false, message: `Invalid arguments for prompt "${this.name}": ${details.join('; ')}` };
  }

  async run(args: unknown, ctx: Context): Promise<GetPromptResult> {
    const value = await this.#handler(args as never, ctx);
    if (typeof value === 'string') return { messages: [userText(value)] };
    if (Array.isArray(value)) return { messages: this.#messages(value) };
    if (typeof value === 'object' && value !== null && Array.isArray(value.messages)) {
      return { ...value, messages: this.#messages(value.messages) };
    }
    throw new HandlerReturnError(
      `Prompt "${this.name}" returned ${value === undefined ? 'nothing' : typeof value}: ${EXPECTED}`,
    );
  }

  #messages(items: readonly unknown[]): PromptMessage[] {
    return items.map((item) => {
      if (typeof item === 'string') return userText(item);
      const message = item as PromptMessage | null;
      if ((message?.role === 'user' || message?.role === 'assistant') && isContentBlock(message.content))
        return message;
      throw new HandlerReturnError(`Prompt "${this.name}" returned a malformed message: ${EXPECTED}`);
    });
  }
}

const EXPECTED = 'return a string, an array of strings or { role, content } messages, or { messages }';

function userText(value: string): PromptMessage {
  return { role: 'user', content: { type: 'text', text: value } };
}
