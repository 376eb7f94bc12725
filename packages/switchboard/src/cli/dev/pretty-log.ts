import type { Palette } from '../colors.js';

const LEVELS: Record<number, [label: string, style: keyof Palette]> = {
  10: ['trace', 'dim'],
  20: ['debug', 'dim'],
  30: ['info ', 'cyan'],
  40: ['warn ', 'yellow'],
  50: ['error', 'red'],
  60: ['fatal', 'red'],
};
/** pino's own fields, shown in the line's head or not at all. */
const OWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err']);

/**
 * One pino JSON log line made readable for `switchboard dev`: time, level, message, then the other fields as
 * `key=value`, and an error's stack indented under it. A line that is not pino JSON is returned as it is.
 */
export function prettyLogLine(line: string, palette: Palette): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || typeof record.level !== 'number') return line;
  const [label, style] = LEVELS[record.level] ?? ['log  ', 'dim'];
  const time = typeof record.time === 'number' ? new Date(record.time).toTimeString().slice(0, 8) : '';
  const fields = Object.entries(record)
    .filter(([key]) => !OWN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const head = [palette.dim(time), palette[style](label), String(record.msg ?? ''), palette.dim(fields.join(' '))];
  const err = record.err as { stack?: string; message?: string } | undefined;
  const stack = err === undefined ? '' : `\n${indent(err.stack ?? err.message ?? '')}`;
  return head.filter((part) => part !== '').join(' ') + palette.dim(stack);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
