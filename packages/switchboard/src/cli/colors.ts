import { styleText } from 'node:util';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** The styles the CLI prints with; each is the identity when the stream gets no colour. */
export type Palette = Record<Style, (text: string) => string>;

const STYLES: readonly Style[] = ['bold', 'dim', 'red', 'green', 'yellow', 'cyan'];

/**
 * Whether `stream` should get ANSI colours: only a terminal, and never when `NO_COLOR` is set to anything but the
 * empty string (no-color.org). `FORCE_COLOR` and `TERM=dumb` are honoured by Node's own `hasColors()`.
 */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && stream.hasColors();
}

/** The palette for `stream`: real styles on a colour terminal, plain text anywhere else. */
export function paletteFor(stream: NodeJS.WriteStream): Palette {
  const color = wantsColor(stream);
  const palette = {} as Palette;
  for (const style of STYLES) palette[style] = color ? (text) => styleText(style, text) : (text) => text;
  return palette;
}
