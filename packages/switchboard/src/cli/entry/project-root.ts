import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of the nearest package.json at or above `file`'s folder; `file`'s folder when there is none. */
export function projectRoot(file: string): string {
  const start = dirname(file);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
