import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH overrides. Never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Where the tests write their screenshots: tmp/screenshots (git-ignored), so `npm test` leaves the
 * tree clean. `npm run screenshots` points CHRONICLE_SCREENSHOTS_DIR (relative to the repository root)
 * at apps/ui/screenshots to refresh the committed ones deliberately.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = resolve(repoRoot, process.env.CHRONICLE_SCREENSHOTS_DIR ?? 'tmp/screenshots');

/**
 * Starts headless chromium with the flags this machine needs (no background networking: the
 * network is closed). Playwright gives every launch a fresh profile. A missing browser fails
 * the run: these tests are never skipped.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox'],
  });
}

/** Collects what a person would see as errors: console errors and uncaught page errors. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // Which request failed, for a console's bare "Failed to load resource".
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} ${response.url()} ${response.request().postData()?.slice(0, 300) ?? ''}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', fullPage: options.fullPage ?? false });
  return path;
}

/** Opens Chronicle at `url`, signs in with an API token and waits for the main navigation. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
