let registered: Promise<void> | undefined;

/** Whether the entry needs compiling: `.ts`, `.mts`, `.cts` or `.tsx`. */
export function isTypeScript(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}

/**
 * Lets this process import TypeScript, once. Node 20 cannot strip types at all, and Node 22's type stripping
 * rejects the `.js` specifiers that NodeNext projects write for their own `.ts` files, so tsx's loader does it.
 */
export function registerTypeScript(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registered;
}
