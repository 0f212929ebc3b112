import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { signIn, watchConsole } from './chromium.js';

/**
 * Chronicle standalone in this process, on a test database of its own named `name`, with these
 * API tokens (`ROLE=token,...`). Its `close()` stops it and drops the database.
 */
export async function startChronicle(name: string, tokens: string): Promise<RunningStandalone> {
  const db = await createTestDatabase(name);
  try {
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: tokens, CHRONICLE_LOG_LEVEL: 'warn' });
    const chronicle = await startStandalone(config, createLogger(name.replaceAll('_', '-'), 'warn'));
    return {
      ...chronicle,
      async close() {
        await chronicle.close();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** What a person would see as errors on the page (watchConsole). */
  readonly errors: string[];
}

/** A page in a context of its own with this viewport, its console watched; signed in when `as` names Chronicle's url and a token. */
export async function openPage(browser: Browser, viewport: { width: number; height: number }, as?: { url: string; token: string }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = watchConsole(page);
  if (as) await signIn(page, as.url, as.token);
  return { context, page, errors };
}
