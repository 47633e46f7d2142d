/**
 * No command the README gives makes `npm test` fail: a simulated build written where the README
 * says (`npm run simulate -- --dir ./builds/my-app`) is the build's own files, which lint
 * (prettier and eslint, as `npm run lint` runs them from the repository root) leaves alone.
 * (`npm test` builds first; run `npm run build` before running this file alone.)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers/server.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'dist/src/server/cli.js');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('the README’s commands and npm test', () => {
  const scratch = tempDir();
  afterAll(() => removeDir(scratch));

  it('names a folder for `simulate --dir`, and lint ignores every file a simulated build writes there', async () => {
    const dirs = [...readme.matchAll(/npm run simulate -- --dir (\S+)/g)].map(([, dir = '']) => dir);
    expect(dirs).toContain('./builds/my-app');

    // The real command, at a speed that plays the whole build in a moment, into a scratch folder.
    const written = path.join(scratch, 'my-app');
    const run = spawnSync(process.execPath, [cli, 'simulate', '--dir', written, '--speed', '400'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const files = filesUnder(written);
    expect(files).toContain(path.join('.context-foundry', 'session-summary.json'));

    const eslint = new ESLint({ cwd: repoRoot });
    const ignorePath = [path.join(repoRoot, '.gitignore'), path.join(repoRoot, '.prettierignore')];
    for (const dir of dirs) {
      for (const file of files) {
        const where = path.resolve(repoRoot, dir, file);
        const info = await prettier.getFileInfo(where, { ignorePath });
        expect(info.ignored, `prettier checks ${path.relative(repoRoot, where)}`).toBe(true);
        expect(await eslint.isPathIgnored(where), `eslint lints ${path.relative(repoRoot, where)}`).toBe(
          true,
        );
      }
    }
    // What is checked here is what prettier would have refused: the build's JSON as it wrote it.
    const summary = path.join(written, '.context-foundry', 'session-summary.json');
    const options = {
      ...(await prettier.resolveConfig(path.join(repoRoot, 'package.json'))),
      filepath: summary,
    };
    expect(await prettier.check(readFileSync(summary, 'utf8'), options)).toBe(false);
  }, 90_000);
});
