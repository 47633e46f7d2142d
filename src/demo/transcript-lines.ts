/**
 * @module
 * The lines a simulated request adds to a Claude Code transcript, shaped as Claude Code 2.1
 * writes them (SPEC 1.5): the user line it answers (the prompt, or the previous tool call's
 * result), then the response streamed as two or three `assistant` lines, one per content block,
 * sharing one `message.id` and `requestId`, with only the last carrying the final
 * `output_tokens`. Subagent lines are `isSidechain: true` with their `agentId`. Pure apart from
 * the conversation state it carries from one request to the next.
 */
import type { RequestActivity } from './activity.js';
import { messageIdOf, requestIdOf, toolUseIdOf, uuidOf } from './ids.js';

/** The Claude Code version the transcripts say wrote them. */
const CLAUDE_CODE_VERSION = '2.1.39';

/** Milliseconds (at speed 1) between two lines of one streamed response. */
const STREAM_STEP_MS = 100;

/** One transcript being written: a session's main loop, or one of its subagents. */
export interface Conversation {
  sessionId: string;
  cwd: string;
  /** Set for a subagent's transcript. */
  agentId: string | null;
  /** The last line's uuid, which the next line names as its parent. */
  lastUuid: string | null;
  /** The tool call the last response made, answered by the next user line. */
  pendingTool: { id: string; result: string } | null;
  /** Lines written so far, which seed the next ids. */
  lines: number;
}

/** A transcript with nothing in it yet. */
export function startConversation(sessionId: string, cwd: string, agentId: string | null): Conversation {
  return { sessionId, cwd, agentId, lastUuid: null, pendingTool: null, lines: 0 };
}

type Block = Record<string, unknown>;

/** The fields every line of a conversation starts with, in Claude Code's order. */
function head(conversation: Conversation): Record<string, unknown> {
  return {
    parentUuid: conversation.lastUuid,
    isSidechain: conversation.agentId !== null,
    userType: 'external',
    cwd: conversation.cwd,
    sessionId: conversation.sessionId,
    version: CLAUDE_CODE_VERSION,
    gitBranch: 'main',
    ...(conversation.agentId === null ? {} : { agentId: conversation.agentId }),
  };
}

/** Gives the next line its uuid and makes it the parent of the one after. */
function nextUuid(conversation: Conversation): string {
  const uuid = uuidOf(`${conversation.sessionId}:${conversation.agentId ?? 'main'}:${conversation.lines}`);
  conversation.lines += 1;
  conversation.lastUuid = uuid;
  return uuid;
}

function userLine(conversation: Conversation, content: unknown, atMs: number, extra: object = {}): string {
  const fields = head(conversation);
  const uuid = nextUuid(conversation);
  return JSON.stringify({
    ...fields,
    type: 'user',
    message: { role: 'user', content },
    uuid,
    timestamp: new Date(atMs).toISOString(),
    ...extra,
  });
}

/** The content blocks of a response: some think first; a response that calls a tool ends with it. */
function blocksOf(request: RequestActivity, toolUseId: string, thinks: boolean): Block[] {
  const blocks: Block[] = [];
  if (thinks || request.tool === null) {
    blocks.push({ type: 'thinking', thinking: `Next: ${request.text}`, signature: 'EqMBCkYIBxgCKkB' });
  }
  blocks.push({ type: 'text', text: request.text });
  if (request.tool) {
    blocks.push({ type: 'tool_use', id: toolUseId, name: request.tool.name, input: request.tool.input });
  }
  return blocks;
}

/**
 * The lines `request` adds to `conversation`, the last one stamped `atMs` and the ones before it
 * a little earlier, as a response streams in. Advances `conversation`.
 */
export function renderRequest(
  conversation: Conversation,
  request: RequestActivity,
  atMs: number,
  speed: number,
): string[] {
  const seed = `${conversation.sessionId}:${conversation.agentId ?? 'main'}:${conversation.lines}`;
  const toolUseId = toolUseIdOf(`${seed}:tool`);
  const blocks = blocksOf(request, toolUseId, conversation.lines % 4 === 0);
  const step = Math.max(1, Math.round(STREAM_STEP_MS / speed));
  const out: string[] = [];

  const askedAt = atMs - blocks.length * step;
  const pending = conversation.pendingTool;
  if (pending) {
    const content = [{ tool_use_id: pending.id, type: 'tool_result', content: pending.result }];
    out.push(
      userLine(conversation, content, askedAt, { toolUseResult: { stdout: pending.result, stderr: '' } }),
    );
  } else if (request.prompt !== null) {
    out.push(userLine(conversation, request.prompt, askedAt));
  }

  const { usage } = request;
  const messageId = messageIdOf(`${seed}:message`);
  const requestId = requestIdOf(`${seed}:request`);
  blocks.forEach((block, i) => {
    const last = i === blocks.length - 1;
    const fields = head(conversation);
    const uuid = nextUuid(conversation);
    out.push(
      JSON.stringify({
        ...fields,
        message: {
          model: request.model,
          id: messageId,
          type: 'message',
          role: 'assistant',
          content: [block],
          stop_reason: last ? (request.tool ? 'tool_use' : 'end_turn') : null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input,
            cache_creation_input_tokens: usage.cacheWrite5m + usage.cacheWrite1h,
            cache_read_input_tokens: usage.cacheRead,
            cache_creation: {
              ephemeral_5m_input_tokens: usage.cacheWrite5m,
              ephemeral_1h_input_tokens: usage.cacheWrite1h,
            },
            // While it streams, a response has only said a few tokens; the last line has them all.
            output_tokens: last ? usage.output : Math.min(usage.output, 1 + 4 * i),
            service_tier: 'standard',
          },
        },
        requestId,
        type: 'assistant',
        uuid,
        timestamp: new Date(atMs - (blocks.length - 1 - i) * step).toISOString(),
      }),
    );
  });
  conversation.pendingTool = request.tool ? { id: toolUseId, result: request.tool.result } : null;
  return out;
}
