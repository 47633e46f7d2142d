/**
 * Real Chromium for page tests: Debian's `chromium` (or `BUILDCAST_CHROMIUM`) driven by
 * playwright-core, headless, with no background networking (this machine has no network).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

// The same Chromium the overlay benchmark drives.
export { chromiumPath, launchBrowser } from '../../bench/chromium.js';

/** Where screenshots go (ignored by git, kept for a person to look at). */
export function screenshotPath(name: string): string {
  const dir = path.resolve(import.meta.dirname, '../../test-results');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
