/**
 * @module
 * A deterministic set of Claude Code transcripts for the transcript benchmark (SPEC 1.5, 8):
 * `<dir>/projects/<cwd with every non-alphanumeric character turned into "-">/<sessionId>.jsonl`,
 * shaped like the files Claude Code writes: user prompts, assistant responses streamed as several
 * lines sharing `message.id` + `requestId` (only the last carries the final `output_tokens`), tool
 * use and tool results of a few KB, subagent (sidechain) lines, `<synthetic>` lines with zero
 * usage, and the system and snapshot lines that carry no usage at all; cache writes split into
 * 5-minute and 1-hour entries (none split in sessions of the oldest version), and Sonnet sessions
 * with the 1M window whose requests pass 200k prompt tokens. It returns the totals a reader must
 * find and what the requests cost, so the bench can check that every tool it compares read the
 * same tokens and priced them as Anthropic does.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashText, mixSeed, Rng } from './transcript-content.js';
import { zeroTokens, type TokenTotals } from './token-totals.js';
import { zeroCost, type CostTotals } from './transcript-cost.js';
import { addTotals, SessionWriter, type TranscriptTotals } from './transcript-writer.js';

export type { CostTotals, TokenTotals, TranscriptTotals };

/** One generated transcript, with what an append needs to continue it. */
export interface TranscriptFile {
  path: string;
  cwd: string;
  sessionId: string;
  /** Time (ms) of its first request's last line: where the session buildcast makes of it starts. */
  firstRequestAt: number;
  /** What its requests cost as generated (appended turns not included). */
  cost: CostTotals;
  bytes: number;
  /** `uuid` of its last line and time of its last line (ms), so appended lines follow on. */
  lastUuid: string | null;
  endsAt: number;
}

export interface GeneratedTranscripts extends TranscriptTotals {
  files: number;
  projects: number;
  transcripts: TranscriptFile[];
}

export interface GenerateOptions {
  /** Written as a Claude config folder: the transcripts go to `<dir>/projects/`. */
  dir: string;
  /** About this many bytes in all (the last line of each file may go a little past its share). */
  totalBytes: number;
  seed: number;
}

const PROJECTS = (
  'weather-app todo-api chat-server pixel-editor invoice-tool blog-engine ledger-cli photo-sync ' +
  'recipe-box quiz-game budget-tracker link-shortener habit-log map-tiles markdown-wiki ' +
  'kanban-board audio-trim sensor-hub feed-reader dotfiles'
).split(' ');
/** Sessions start from here, a few hours apart. */
const BASE_TIME = Date.UTC(2026, 9, 1, 8, 0, 0);
/** Roughly what a session file weighs; the set has 1 to 6 sessions per project. */
const SESSION_BYTES = 256 * 1024;

/** Claude Code's folder name for a working directory. */
export const encodeCwd = (cwd: string) => cwd.replace(/[^a-zA-Z0-9]/g, '-');

/** Writes about `totalBytes` of transcripts for ~20 projects; the same seed gives the same bytes. */
export async function generateTranscripts(options: GenerateOptions): Promise<GeneratedTranscripts> {
  const { dir, totalBytes, seed } = options;
  const plan = new Rng(mixSeed(seed, 0));
  const sessions = Math.min(
    PROJECTS.length * 6,
    Math.max(PROJECTS.length, Math.round(totalBytes / SESSION_BYTES)),
  );
  const weights = Array.from({ length: sessions }, () => 0.3 + plan.next() * 1.4);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const set: GeneratedTranscripts = {
    files: 0,
    projects: Math.min(sessions, PROJECTS.length),
    bytes: 0,
    lines: 0,
    requests: 0,
    tokens: zeroTokens(),
    finalTokens: zeroTokens(),
    cost: zeroCost(),
    transcripts: [],
  };
  for (let s = 0; s < sessions; s++) {
    const rng = new Rng(mixSeed(seed, 1, s));
    const cwd = `/home/dev/src/${PROJECTS[s % PROJECTS.length]!}`;
    const sessionId = rng.uuid();
    const start = BASE_TIME + s * 3 * 3_600_000 + rng.int(0, 3_600_000);
    const writer = new SessionWriter(rng, { cwd, sessionId, lastUuid: null, endsAt: start });
    if (rng.chance(0.3)) writer.summary();
    const budget = (totalBytes * weights[s]!) / weightSum;
    // Stopping half an average turn early lands the set on its size rather than past it.
    for (
      let turns = 0;
      writer.totals.bytes + (turns > 0 ? writer.totals.bytes / turns / 2 : 0) < budget;
      turns++
    )
      writer.turn();
    const folder = path.join(dir, 'projects', encodeCwd(cwd));
    const file = path.join(folder, `${sessionId}.jsonl`);
    await mkdir(folder, { recursive: true });
    await writeFile(file, writer.out.join('\n') + '\n');
    set.files += 1;
    addTotals(set, writer.totals);
    set.transcripts.push({
      path: file,
      cwd,
      sessionId,
      firstRequestAt: writer.firstRequestAt ?? start,
      cost: { ...writer.totals.cost },
      bytes: writer.totals.bytes,
      lastUuid: writer.lastUuid,
      endsAt: writer.at,
    });
  }
  return set;
}

/**
 * Appends one short turn (a prompt, one or two tool calls, an answer) to a generated transcript,
 * as a session that goes on does, and returns what it added; `file` is updated to match.
 */
export async function appendTurn(file: TranscriptFile, seed: number): Promise<TranscriptTotals> {
  const writer = new SessionWriter(new Rng(mixSeed(seed, 2, hashText(file.sessionId))), {
    ...file,
    endsAt: file.endsAt + 300_000,
  });
  writer.turn(2);
  await appendFile(file.path, writer.out.join('\n') + '\n');
  file.bytes += writer.totals.bytes;
  file.lastUuid = writer.lastUuid;
  file.endsAt = writer.at;
  return writer.totals;
}
