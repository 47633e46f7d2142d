/**
 * @module
 * Where Claude Code keeps its transcripts (SPEC 1.5): the folders that hold one folder per
 * project (`<cwd with "/" turned into "-">`), each holding `<sessionId>.jsonl` files.
 */
import path from 'node:path';
import { listFolderEntries, realFolderSync } from './reader.js';

export interface ClaudeDirsInput {
  env: Record<string, string | undefined>;
  home: string;
  /** `--claude-dir` values: a Claude config folder (holding `projects/`) or a `projects` folder. */
  explicit: readonly string[];
}

function expandHome(folder: string, home: string): string {
  if (folder === '~') return home;
  if (folder.startsWith('~/')) return path.join(home, folder.slice(2));
  return folder;
}

/** A config folder's `projects/` when it has one, else the folder itself; null if neither exists. */
function projectsFolder(folder: string): string | null {
  return realFolderSync(path.join(folder, 'projects')) ?? realFolderSync(folder);
}

/**
 * The existing transcript folders, deduplicated by real path. Explicit folders win outright, so
 * pointing buildcast at one folder never mixes in the machine's own history; otherwise the
 * folders of `CLAUDE_CONFIG_DIR` (comma-separated), then `~/.claude/projects` and
 * `~/.config/claude/projects` (where newer Claude Code versions write).
 */
export function discoverClaudeDirs(input: ClaudeDirsInput): string[] {
  const { env, home, explicit } = input;
  const split = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  const candidates =
    explicit.length > 0
      ? [...explicit]
      : [
          ...split(env.CLAUDE_CONFIG_DIR),
          path.join(home, '.claude', 'projects'),
          path.join(home, '.config', 'claude', 'projects'),
        ];
  const found: string[] = [];
  for (const candidate of candidates) {
    const real = projectsFolder(path.resolve(expandHome(candidate, home)));
    if (real !== null && !found.includes(real)) found.push(real);
  }
  return found;
}

/** Whether a path names a transcript file. */
export function isTranscriptFile(file: string): boolean {
  return file.endsWith('.jsonl');
}

/**
 * How many folder levels below a transcripts folder are searched: `<project>/<session>.jsonl`,
 * and subagent transcripts in `<project>/<session>/subagents/agent-<id>.jsonl` or one level less.
 */
export const TRANSCRIPT_DEPTH = 3;

/** Every transcript file under the folders, in a stable order; symbolic links are not followed. */
export async function listTranscriptFiles(dirs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const entries = await listFolderEntries(folder);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // A folder's own transcripts before its sub-folders': a session before its subagents.
    for (const entry of entries) {
      if (entry.kind === 'file' && isTranscriptFile(entry.path)) files.push(entry.path);
    }
    if (depth >= TRANSCRIPT_DEPTH) return;
    for (const entry of entries) if (entry.kind === 'folder') await walk(entry.path, depth + 1);
  };
  for (const dir of dirs) await walk(dir, 0);
  return [...new Set(files)];
}
