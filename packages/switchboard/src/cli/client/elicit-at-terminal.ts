import type { ElicitParams, ElicitResult } from '../../protocol/messages.js';
import type { Palette } from '../colors.js';
import { UsageError } from '../errors.js';
import type { TerminalPrompter } from './terminal-prompter.js';
import { schemaProperties } from './tool-arguments.js';

type Schema = Record<string, unknown>;

/**
 * Answers a server's elicitation at the terminal: its message, then one question per field of the requested
 * schema (its title or description, type, choices and default). An empty answer takes the default; an empty
 * required field is asked again. `!decline` or `!cancel` as any answer does that; stdin ending cancels.
 */
export async function elicitAtTerminal(
  params: ElicitParams,
  prompter: TerminalPrompter,
  palette: Palette,
): Promise<ElicitResult> {
  const request = params as unknown as Schema;
  process.stderr.write(`\n${palette.bold('The server asks:')} ${String(request.message ?? '')}\n`);
  if (request.mode === 'url') {
    process.stderr.write(`  Open ${palette.cyan(String(request.url))}\n`);
    const answer = await prompter.ask('  Press Enter once done (or type !decline): ');
    return answer === undefined
      ? { action: 'cancel' }
      : answer.trim() === '!decline'
        ? { action: 'decline' }
        : { action: 'accept' };
  }
  process.stderr.write(palette.dim('  (an empty answer takes the default; !decline or !cancel to refuse)\n'));
  const { properties, required } = schemaProperties(request.requestedSchema);
  const content: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    const value = await askField(key, property, required.includes(key), prompter);
    if (value === CANCEL) return { action: 'cancel' };
    if (value === DECLINE) return { action: 'decline' };
    if (value !== undefined) content[key] = value;
  }
  return { action: 'accept', content } as ElicitResult;
}

const CANCEL = Symbol('cancel');
const DECLINE = Symbol('decline');

async function askField(
  key: string,
  property: Schema,
  required: boolean,
  prompter: TerminalPrompter,
): Promise<unknown> {
  const choices = choicesOf(property);
  const type = String(property.type ?? 'string');
  const label = String(property.title ?? property.description ?? key);
  const hints = [choices === undefined ? type : choices.join(' | ')];
  if (property.default !== undefined) hints.push(`default ${JSON.stringify(property.default)}`);
  if (!required) hints.push('optional');
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await prompter.ask(`  ${label} (${hints.join(', ')}): `);
    if (answer === undefined || answer.trim() === '!cancel') return CANCEL;
    if (answer.trim() === '!decline') return DECLINE;
    if (answer === '') {
      if (property.default !== undefined) return property.default;
      if (!required) return undefined;
      process.stderr.write('  this one is required\n');
      continue;
    }
    try {
      return valueFor(key, answer, type, choices);
    } catch (error) {
      process.stderr.write(`  ${(error as Error).message}\n`);
    }
  }
  return DECLINE;
}

function choicesOf(property: Schema): string[] | undefined {
  if (Array.isArray(property.enum)) return property.enum.map(String);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = property[key];
    if (Array.isArray(options)) return options.map((option) => String((option as Schema).const));
  }
  const items = property.items as Schema | undefined;
  return items === undefined ? undefined : choicesOf(items);
}

function valueFor(key: string, answer: string, type: string, choices: string[] | undefined): unknown {
  if (type === 'array') {
    const values = answer.split(',').map((item) => item.trim());
    const unknown = values.find((value) => choices !== undefined && !choices.includes(value));
    if (unknown !== undefined) throw new UsageError(`"${unknown}" is not one of ${choices?.join(', ')}`);
    return values;
  }
  if (choices !== undefined && !choices.includes(answer)) throw new UsageError(`expected one of ${choices.join(', ')}`);
  if (type === 'number' || type === 'integer') {
    const value = Number(answer);
    if (!Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value))) {
      throw new UsageError(`${key}: expected ${type === 'integer' ? 'a whole number' : 'a number'}`);
    }
    return value;
  }
  if (type === 'boolean') {
    if (/^(y|yes|true)$/i.test(answer)) return true;
    if (/^(n|no|false)$/i.test(answer)) return false;
    throw new UsageError(`${key}: expected yes or no`);
  }
  return answer;
}
