/** Property: any agent update body is a bounded update with exact counts, or a problem. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseAgentUpdate } from '../../src/collector/agent-update.js';
import { MAX_NAME_LENGTH } from '../../src/collector/limits.js';
import { AGENT_FIELDS, boundedBy, check, jsonObject, jsonValue, runs } from './arbitraries.js';

const STATUSES = new Set(['spawning', 'active', 'idle', 'completed', 'failed']);

describe('agent update parser, for any body', () => {
  it('gives an update within its caps or a problem', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 5, arbitrary: jsonObject(AGENT_FIELDS) },
          { weight: 1, arbitrary: jsonValue(AGENT_FIELDS) },
        ),
        (value) => {
          const body = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
          const parsed = parseAgentUpdate(body);
          check(boundedBy(JSON.stringify(body)?.length ?? 0, parsed), 'output larger than its input allows');
          if (!parsed.ok) return;
          const update = parsed.value;
          check(STATUSES.has(update.status), `status ${String(update.status)}`);
          for (const name of [update.sessionKey, update.agentId, update.type, update.name, update.phase]) {
            check(name === null || name.length <= MAX_NAME_LENGTH, 'name too long');
          }
          check(update.tokensUsed === null || Number.isSafeInteger(update.tokensUsed), 'unsafe token count');
          const progress = update.progressPercent;
          check(progress === null || (progress >= 0 && progress <= 100), 'progress out of range');
        },
      ),
      runs(3_000),
    );
  });
});
