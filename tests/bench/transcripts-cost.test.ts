import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTranscripts } from '../../bench/gen-transcripts.js';
import { dollars } from '../../bench/transcript-cost.js';
import { costFigures, costRows, differencePercent } from '../../bench/transcripts-cost.js';
import type { BuildcastSession } from '../../bench/transcripts-buildcast.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function smallSet() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'transcripts-cost-'));
  dirs.push(dir);
  return generateTranscripts({ dir, totalBytes: 3_000_000, seed: 20261121 });
}

const figure = (figures: ReturnType<typeof costFigures>, label: string) =>
  figures.find((f) => f.label.startsWith(label));

describe('cost in the transcript benchmark', () => {
  it('measures differences against the second figure, in percent', () => {
    expect(differencePercent(1.001, 1)).toBeCloseTo(0.1, 10);
    expect(differencePercent(0.999, 1)).toBeCloseTo(0.1, 10);
    expect(differencePercent(0, 0)).toBe(0);
    expect(differencePercent(1, 0)).toBeNull();
    expect(differencePercent(null, 1)).toBeNull();
  });

  it("finds each tool's figure for a session and holds it to Anthropic's prices", async () => {
    const set = await smallSet();
    // As the API names a plain Claude Code session: its project and its first request.
    const buildcast: BuildcastSession[] = set.transcripts.map((t, i) => ({
      id: `s${i}`,
      project: path.basename(t.cwd),
      startedAt: new Date(t.firstRequestAt).toISOString(),
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      costUsd: dollars(t.cost.anthropic) * (i === 0 ? 1.01 : 1),
    }));
    const ccusage = set.transcripts.map((t) => ({
      id: t.sessionId,
      costUsd: dollars(t.cost.perFieldTiering),
    }));
    const rows = costRows(set, buildcast, ccusage);
    expect(rows).toHaveLength(set.transcripts.length);
    expect(rows.every((row) => row.buildcast !== null && row.ccusage !== null)).toBe(true);

    const figures = costFigures(rows, set);
    // One session 1 % off is caught.
    expect(figure(figures, "buildcast cost vs Anthropic's prices")).toMatchObject({ verdict: 'short' });
    expect(figure(figures, "buildcast cost vs Anthropic's prices")!.value).toBeCloseTo(1, 6);
    expect(figure(figures, 'ccusage vs per-field 200k tiering')).toMatchObject({ value: 0, verdict: 'pass' });
    expect(figure(figures, 'cost: requests over 200k')!.value).toBeGreaterThan(0);

    // Without ccusage its figures are not available, and not counted short.
    const alone = costFigures(costRows(set, buildcast, null), set);
    expect(figure(alone, 'buildcast vs ccusage, largest per session (none')).toMatchObject({
      value: null,
      verdict: 'info',
    });
    expect(figure(alone, 'ccusage cost')!.value).toBeNull();
  });
});
