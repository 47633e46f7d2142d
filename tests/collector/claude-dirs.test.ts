/**
 * Finding Claude Code's transcript folders over a real temporary home folder.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverClaudeDirs, listTranscriptFiles } from '../../src/collector/claude-dirs.js';

describe('claude dirs', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A temporary folder (real path) with the given sub-folders created. */
  function tree(...folders: string[]): string {
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'buildcast-claude-')));
    made.push(root);
    for (const folder of folders) mkdirSync(path.join(root, folder), { recursive: true });
    return root;
  }

  it('finds both home folders when nothing else is said', () => {
    const home = tree('.claude/projects', '.config/claude/projects');
    expect(discoverClaudeDirs({ env: {}, home, explicit: [] })).toEqual([
      path.join(home, '.claude/projects'),
      path.join(home, '.config/claude/projects'),
    ]);
  });

  it('drops folders that do not exist', () => {
    const home = tree('.config/claude/projects');
    expect(discoverClaudeDirs({ env: {}, home, explicit: [] })).toEqual([
      path.join(home, '.config/claude/projects'),
    ]);
    expect(discoverClaudeDirs({ env: {}, home: tree(), explicit: [] })).toEqual([]);
  });

  it('reads the comma-separated CLAUDE_CONFIG_DIR folders, plus the home folders', () => {
    const home = tree('.claude/projects', 'work-claude/projects', 'other/projects');
    const env = {
      CLAUDE_CONFIG_DIR: ` ${path.join(home, 'work-claude')} ,${path.join(home, 'missing')},, ${path.join(home, 'other')}`,
    };
    expect(discoverClaudeDirs({ env, home, explicit: [] })).toEqual([
      path.join(home, 'work-claude/projects'),
      path.join(home, 'other/projects'),
      path.join(home, '.claude/projects'),
    ]);
  });

  it('lets --claude-dir win, as a config folder or as the projects folder itself', () => {
    const home = tree('.claude/projects', 'env-claude/projects', 'ci-claude/projects', 'copy/projects');
    const env = { CLAUDE_CONFIG_DIR: path.join(home, 'env-claude') };
    const explicit = [path.join(home, 'ci-claude'), path.join(home, 'copy', 'projects')];
    expect(discoverClaudeDirs({ env, home, explicit })).toEqual([
      path.join(home, 'ci-claude/projects'),
      path.join(home, 'copy/projects'),
    ]);
  });

  it('expands ~ and counts a folder reached twice (through a link) once', () => {
    const home = tree('.claude/projects');
    symlinkSync(path.join(home, '.claude'), path.join(home, 'claude-link'));
    const found = discoverClaudeDirs({
      env: { CLAUDE_CONFIG_DIR: '~/claude-link,~/.claude' },
      home,
      explicit: [],
    });
    expect(found).toEqual([path.join(home, '.claude/projects')]);
  });

  it('lists session transcripts and subagent transcripts, nothing else', async () => {
    const root = tree('-home-dev-app/7f3c/subagents', '-home-dev-app/tool-results', '-home-dev-api');
    const write = (file: string) => writeFileSync(path.join(root, file), '{}\n');
    write('-home-dev-app/7f3c.jsonl');
    write('-home-dev-app/7f3c/subagents/agent-a1.jsonl');
    write('-home-dev-app/tool-results/output.txt');
    write('-home-dev-api/91ab.jsonl');
    write('-home-dev-api/notes.md');
    expect(await listTranscriptFiles([root, path.join(root, 'absent')])).toEqual([
      path.join(root, '-home-dev-api/91ab.jsonl'),
      path.join(root, '-home-dev-app/7f3c.jsonl'),
      path.join(root, '-home-dev-app/7f3c/subagents/agent-a1.jsonl'),
    ]);
  });
});
