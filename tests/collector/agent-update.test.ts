/**
 * `POST /api/agent-update` bodies read at the edge: status words normalized, nothing looked up
 * on `Object.prototype`, counts beyond 2^53 left out with a warning.
 */
import { describe, expect, it } from 'vitest';
import { agentStatus, parseAgentUpdate } from '../../src/collector/agent-update.js';
import { MAX_NAME_LENGTH, TRUNCATED } from '../../src/collector/limits.js';

const base = { session_id: 'weather-app', agent_id: 'builder-1' };

describe('parseAgentUpdate', () => {
  it('reads the SPEC 1.7 fields', () => {
    const parsed = parseAgentUpdate({
      ...base,
      agent_type: 'builder',
      agent_name: 'Builder 1',
      status: 'In Progress',
      phase: 'Builder',
      progress_percent: '40',
      tokens_used: 12_345,
      task_id: 'task-1',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        sessionKey: 'weather-app',
        agentId: 'builder-1',
        type: 'builder',
        name: 'Builder 1',
        status: 'active',
        reportedStatus: null,
        phase: 'Builder',
        progressPercent: 40,
        tokensUsed: 12_345,
        error: null,
        task: 'task-1',
        warnings: [],
      },
    });
  });

  it('keeps a status such as "constructor" as an unknown word, not an Object.prototype member', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(agentStatus(word)).toEqual({ status: 'active', reported: word });
    }
    const parsed = parseAgentUpdate({ ...base, status: 'constructor' });
    expect(parsed.ok && parsed.value.status).toBe('active');
  });

  it('never reads a field the body only inherits', () => {
    const body = Object.create({ session_id: 'inherited', agent_id: 'inherited' }) as object;
    expect(parseAgentUpdate(body)).toMatchObject({ ok: false, problem: { code: 'invalid-fields' } });
  });

  it('leaves out a token count beyond 2^53, and says so', () => {
    const parsed = parseAgentUpdate({ ...base, tokens_used: 2 ** 60, progress_percent: -5 });
    expect(parsed.ok && parsed.value).toMatchObject({
      tokensUsed: null,
      progressPercent: null,
      warnings: [
        'progress_percent: expected a number of 0 or more, got -5',
        `tokens_used: expected a whole number from 0 to 2^53, got ${2 ** 60}`,
      ],
    });
  });

  it('cuts long ids and names', () => {
    const parsed = parseAgentUpdate({ ...base, agent_id: 'a'.repeat(5_000), agent_name: 'n'.repeat(5_000) });
    if (!parsed.ok) throw new Error(parsed.problem.message);
    for (const text of [parsed.value.agentId, parsed.value.name]) {
      expect(text).toHaveLength(MAX_NAME_LENGTH);
      expect(text?.endsWith(TRUNCATED)).toBe(true);
    }
  });
});
