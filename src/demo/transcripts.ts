/**
 * @module
 * A simulated build's Claude Code transcripts, written where Claude Code keeps them (SPEC 1.5):
 * `<claude dir>/projects/<cwd with "/" turned into "-">/<sessionId>.jsonl` for the main loop and
 * `<sessionId>/subagents/agent-<agentId>.jsonl` beside it for each agent, as Claude Code 2.1 lays
 * them out. Each request is appended as it is sent, in one write, so a reader following the
 * files sees tokens count up while the build runs and never half a response.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestActivity } from './activity.js';
import { appendLines } from './build-files.js';
import { agentIdOf, uuidOf } from './ids.js';
import { renderRequest, startConversation } from './transcript-lines.js';
import type { Conversation } from './transcript-lines.js';

/** The folder name Claude Code gives a working directory: every character but letters and digits as "-". */
function projectFolderName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Where the transcripts of sessions run in `cwd` live under `claudeDir`. */
export function transcriptFolder(claudeDir: string, cwd: string): string {
  return join(claudeDir, 'projects', projectFolderName(cwd));
}

/** The Claude Code session id of the build of `project` started at `startedAtMs`. */
export function claudeSessionIdOf(project: string, startedAtMs: number): string {
  return uuidOf(`${project}:${startedAtMs}`);
}

/** The `agentId` a build's agent (`builder-1`) has in its session's subagent transcript. */
export function claudeAgentIdOf(sessionId: string, agent: string): string {
  return agentIdOf(`${sessionId}:${agent}`);
}

/** Removes the transcripts an earlier run left for `cwd`, so they are not read as this run's. */
export async function clearTranscripts(claudeDir: string, cwd: string): Promise<void> {
  await rm(transcriptFolder(claudeDir, cwd), { recursive: true, force: true });
}

export interface TranscriptWriterOptions {
  /** The Claude Code folder (the one holding `projects/`). */
  claudeDir: string;
  /** The build's work directory, which every line names as its `cwd`. */
  cwd: string;
  project: string;
  startedAtMs: number;
  /** The build's speed, which the lines of one streamed response are spaced by. */
  speed: number;
}

/** Appends a build's requests to its transcripts. */
export class TranscriptWriter {
  readonly sessionId: string;
  /** The main loop's transcript. */
  readonly file: string;
  readonly #folder: string;
  readonly #options: TranscriptWriterOptions;
  readonly #conversations = new Map<string | null, Conversation>();

  constructor(options: TranscriptWriterOptions) {
    this.#options = options;
    this.sessionId = claudeSessionIdOf(options.project, options.startedAtMs);
    this.#folder = transcriptFolder(options.claudeDir, options.cwd);
    this.file = join(this.#folder, `${this.sessionId}.jsonl`);
  }

  /** The transcript of one of the build's agents (`builder-1`). */
  agentFile(agent: string): string {
    const agentId = claudeAgentIdOf(this.sessionId, agent);
    return join(this.#folder, this.sessionId, 'subagents', `agent-${agentId}.jsonl`);
  }

  /** Appends `request`, sent at `atMs`, to its transcript. */
  async write(request: RequestActivity, atMs: number): Promise<void> {
    const { agent } = request;
    let conversation = this.#conversations.get(agent);
    if (!conversation) {
      const agentId = agent === null ? null : claudeAgentIdOf(this.sessionId, agent);
      conversation = startConversation(this.sessionId, this.#options.cwd, agentId);
      this.#conversations.set(agent, conversation);
    }
    const lines = renderRequest(conversation, request, atMs, this.#options.speed);
    await appendLines(agent === null ? this.file : this.agentFile(agent), `${lines.join('\n')}\n`);
  }
}
