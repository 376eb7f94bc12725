import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ContentBlock, ResourceContents } from '../../protocol/messages.js';
import type { Palette } from '../colors.js';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'application/pdf': 'pdf',
  'application/json': 'json',
};

/** Where binary content goes: `<stem>-<n>.<ext>` in `dir`. */
export class FileSaver {
  readonly #dir: string;
  readonly #stem: string;
  #count = 0;

  constructor(dir: string, stem: string) {
    this.#dir = dir;
    this.#stem = stem.replace(/[^A-Za-z0-9._-]+/g, '_') || 'content';
  }

  save(base64: string, mimeType: string | undefined): string {
    const ext = EXTENSIONS[mimeType ?? ''] ?? 'bin';
    const path = join(this.#dir, `${this.#stem}-${++this.#count}.${ext}`);
    writeFileSync(path, Buffer.from(base64, 'base64'));
    const shown = relative(process.cwd(), path);
    return shown.startsWith('..') ? path : `./${shown}`;
  }
}

function size(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** Content blocks as terminal text: text as is, images and audio saved to files, resources shown with their URI. */
export function renderBlocks(blocks: readonly ContentBlock[], saver: FileSaver, palette: Palette): string[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'text':
        return block.text;
      case 'image':
      case 'audio': {
        const path = saver.save(block.data, block.mimeType);
        return palette.dim(`[${block.type} ${block.mimeType}, ${size(block.data)}, saved to ${path}]`);
      }
      case 'resource':
        return renderResourceContents([block.resource as ResourceContents], saver, palette).join('\n');
      case 'resource_link':
        return palette.dim(`[link ${block.name}: ${block.uri}]`);
      default:
        return JSON.stringify(block, null, 2);
    }
  });
}

/** Resource contents: a header with the URI, then the text, or the blob saved to a file. */
export function renderResourceContents(
  contents: readonly ResourceContents[],
  saver: FileSaver,
  palette: Palette,
): string[] {
  return contents.flatMap((content) => {
    const header = palette.dim(
      `[resource ${content.uri}${content.mimeType === undefined ? '' : ` ${content.mimeType}`}]`,
    );
    if ('text' in content && typeof content.text === 'string') return [header, content.text];
    const blob = (content as { blob?: string }).blob ?? '';
    return [palette.dim(`[resource ${content.uri}, ${size(blob)}, saved to ${saver.save(blob, content.mimeType)}]`)];
  });
}

/** Rows as an aligned table with a bold header; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], palette: Palette): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [palette.bold(line(header)), ...rows.map(line)].join('\n');
}
