/**
 * @module
 * Real Chromium for the overlay scenario and the browser tests: Debian's `chromium` (or
 * `BUILDCAST_CHROMIUM`) driven by playwright-core, headless, with no background networking.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary to drive; throws, saying how to get one, when there is none. */
export function chromiumPath(): string {
  const configured = process.env['BUILDCAST_CHROMIUM'];
  if (configured) return configured;
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      'no Chromium found: install it (apt-get install chromium) or set BUILDCAST_CHROMIUM to its path',
    );
  }
  return found;
}

/** A headless Chromium that fetches nothing on its own (this machine may have no network). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
