import type { FSWatcher } from 'node:fs';
import { lstatSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';

/** Folders whose changes never need a reload: dependencies, build output, version control, dot-folders. */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage']);
/** Editor scratch files: backups, swap files, vim's write probe. */
const SCRATCH = /(~|\.swp|\.swx|\.tmp|^4913)$/;

/** A running watch; `close()` stops every watcher. */
export interface TreeWatch {
  close(): void;
}

/**
 * Watches `root` and every folder under it, except dependencies, build output and dot-folders, and calls
 * `onChange` with the path of each file that changes. One non-recursive watcher per folder: Node's recursive mode
 * on Linux would walk node_modules too.
 */
export function watchTree(root: string, onChange: (path: string) => void): TreeWatch {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (name === null || SCRATCH.test(name)) return;
        const path = join(dir, name);
        if (isWatchedFolder(path, name)) walk(path);
        onChange(path);
      });
    } catch {
      return; // the folder went away before it could be watched
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
  };
  const walk = (dir: string) => {
    add(dir);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (isWatchedFolder(path, name)) walk(path);
    }
  };
  walk(root);
  return {
    close: () => {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isWatchedFolder(path: string, name: string): boolean {
  if (name.startsWith('.') || SKIPPED.has(name)) return false;
  try {
    return lstatSync(path).isDirectory(); // not a symbolic link: a link back up the tree would never end
  } catch {
    return false;
  }
}
