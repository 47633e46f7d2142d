/**
 * The house's direction is enforced by the lint configuration (eslint.config.js): these probes lint
 * a one-line file placed in each folder and check that a wrong import fails and a right one passes.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repoRoot });

/** The restricted-import messages a line of code gets when it stands in `src/<folder>/probe.ts`. */
async function problems(folder: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, {
    filePath: path.join(repoRoot, 'src', folder, 'probe.ts'),
  });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the house lint rules', () => {
  it.each([
    ['render', "import { openStore } from '../store/store.js';\nvoid openStore;"],
    ['render', "import { buildPlan } from '../core/plan.js';\nvoid buildPlan;"],
    ['render', "import { Hub } from '../live/hub.js';\nvoid Hub;"],
    ['client', "import type { Session } from '../core/registry.js';\nlet s: Session | null = null;\nvoid s;"],
    ['core', "import type { Store } from '../store/store.js';\nlet s: Store | null = null;\nvoid s;"],
    ['core', "import { Hono } from 'hono';\nvoid Hono;"],
    ['core', "import Database from 'better-sqlite3';\nvoid Database;"],
    ['core', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['core', "import type { Hub } from '../live/hub.js';\nlet h: Hub | null = null;\nvoid h;"],
    ['collector', "import { SessionRegistry } from '../core/registry.js';\nvoid SessionRegistry;"],
    ['collector', "import Database from 'better-sqlite3';\nvoid Database;"],
    ['store', "import { createApp } from '../server/app.js';\nvoid createApp;"],
    ['store', "import { Hub } from '../live/hub.js';\nvoid Hub;"],
    ['live', "import { openStore } from '../store/store.js';\nvoid openStore;"],
    ['shared', "import { Hub } from '../live/hub.js';\nvoid Hub;"],
    ['demo', "import { startServer } from '../server/main.js';\nvoid startServer;"],
  ])('refuses, in src/%s: %s', async (folder, code) => {
    expect(await problems(folder, code)).toHaveLength(1);
  });

  it.each([
    [
      'render',
      "import type { PlanPhase } from '../shared/protocol.js';\nlet p: PlanPhase | null = null;\nvoid p;",
    ],
    [
      'render',
      "import type { SessionPage } from '../core/session-query.js';\nlet p: SessionPage | null = null;\nvoid p;",
    ],
    [
      'core',
      "import type { TokenSample } from '../collector/types.js';\nlet t: TokenSample | null = null;\nvoid t;",
    ],
    [
      'store',
      "import type { SessionWrite } from '../core/storage.js';\nlet w: SessionWrite | null = null;\nvoid w;",
    ],
    ['server', "import { openStore } from '../store/store.js';\nvoid openStore;"],
    ['client', "import { formatDuration } from '../shared/format.js';\nvoid formatDuration;"],
  ])('allows, in src/%s: %s', async (folder, code) => {
    expect(await problems(folder, code)).toEqual([]);
  });
});
