import type { CliProcess } from './cli-process.js';

/** The sign-in URL a CLI prints on stderr when it asks the user to sign in, read from `from` on. */
export async function printedSignInUrl(cli: CliProcess, from = 0): Promise<string> {
  const [, url] = await cli.waitFor('stderr', /If it does not open, visit:\n {2}(\S+)\n/, from);
  return url as string;
}
