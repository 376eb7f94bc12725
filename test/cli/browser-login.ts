import type { BrowserContext } from 'playwright-core';
import type { CliProcess } from './cli-process.js';

/** The sign-in URL a CLI prints on stderr when it asks the user to sign in, read from `from` on. */
export async function printedSignInUrl(cli: CliProcess, from = 0): Promise<string> {
  const [, url] = await cli.waitFor('stderr', /If it does not open, visit:\n {2}(\S+)\n/, from);
  return url as string;
}

/**
 * A user finishing a CLI's sign-in in headless Chromium: opens the URL the CLI printed, signs in when asked (a
 * context that signed in before goes straight to consent), allows, and waits until the browser lands on the
 * CLI's loopback redirect page.
 */
export async function finishSignIn(
  context: BrowserContext,
  url: string,
  user: { username: string; password: string },
): Promise<URL> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    const landed = page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/, { timeout: 30_000 });
    const first = await Promise.race([
      page.waitForSelector('#username').then(() => 'login' as const),
      page.waitForSelector('button[value=allow]').then(() => 'consent' as const),
    ]);
    if (first === 'login') {
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await page.click('button[type=submit].primary');
      await page.waitForSelector('button[value=allow]');
    }
    await page.click('button[value=allow]');
    await landed;
    return new URL(page.url());
  } finally {
    await page.close();
  }
}
