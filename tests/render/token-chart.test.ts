import { describe, expect, it } from 'vitest';
import type { TokenPoint } from '../../src/shared/metrics.js';
import { bucketLabel, MAX_BARS, renderTokenChart, tokenBars } from '../../src/render/token-chart.js';
import { makeSession } from './fixtures.js';
import { makeMetrics, makeSeries, metricsFragment, svgWithClass, words } from './metrics-fixtures.js';

async function tokenChart(metrics = makeMetrics()): Promise<string> {
  const { body } = await metricsFragment(metrics);
  return svgWithClass(body, 'token-chart');
}

const attrs = (markup: string, pattern: RegExp): string[] =>
  [...markup.matchAll(pattern)].map((m) => m[1] ?? '');

describe('tokens over time', () => {
  it('draws one stacked bar per bucket with tokens, split into the four token types', async () => {
    const svg = await tokenChart();
    expect(svg).not.toBe('');
    // 20 one-minute buckets, two of them quiet.
    expect(svg.match(/<g class="bar"/g)).toHaveLength(18);
    for (const type of ['input', 'output', 'cacheWrite', 'cacheRead']) {
      expect(svg.match(new RegExp(`<rect class="tk-${type}"`, 'g')), type).toHaveLength(18);
    }
    const totals = attrs(svg, /data-total="(\d+)"/g).map(Number);
    const series = makeSeries();
    expect(totals).toEqual(series.map((p) => p.input + p.output + p.cacheWrite + p.cacheRead));
  });

  it('leaves a gap where no tokens were used rather than closing it up', async () => {
    const svg = await tokenChart();
    const times = attrs(svg, /data-at="([^"]+)"/g);
    expect(times).not.toContain('2026-11-20T13:47:00.000Z');
    expect(times).not.toContain('2026-11-20T13:48:00.000Z');
    const x = (at: string) =>
      Number(svg.match(new RegExp(`data-at="${at}"[^]*?<rect[^>]*x="([\\d.]+)"`))?.[1]);
    const step = x('2026-11-20T13:41:00.000Z') - x('2026-11-20T13:40:00.000Z');
    expect(x('2026-11-20T13:49:00.000Z') - x('2026-11-20T13:46:00.000Z')).toBeCloseTo(3 * step, 0);
  });

  it('draws each bar at its own time when the build started between two buckets', async () => {
    const { body } = await metricsFragment(makeMetrics(), makeSession({ startedAt: '2026-11-20T13:39:30Z' }));
    const svg = svgWithClass(body, 'token-chart');
    const left = Number(svg.match(/<line class="grid" x1="([\d.]+)"/)?.[1]);
    const width = Number(svg.match(/<line class="grid" x1="[\d.]+" x2="([\d.]+)"/)?.[1]) - left;
    const firstBar = svg.match(
      /data-at="2026-11-20T13:40:00.000Z"[^]*?<rect[^>]*x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/,
    );
    // 13:39:30 to 14:00 is 20.5 one-minute slots.
    const slot = width / 20.5;
    // The bar's slot starts 30 s (half a slot) in; the bar is centred in its slot.
    const slotStart = Number(firstBar?.[1]) - (slot - Number(firstBar?.[2])) / 2;
    expect(slotStart - left).toBeCloseTo(slot / 2, 0);
  });

  it('labels the token axis with round ticks and the time axis with round UTC clock times', async () => {
    const svg = await tokenChart();
    const yLabels = attrs(svg, /<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g);
    // The busiest minute used 114,500 tokens.
    expect(yLabels).toEqual(['0', '50k', '100k', '150k']);
    const xLabels = attrs(svg, /<text class="tick"[^>]*>([^<]+)<\/text>/g);
    expect(xLabels).toEqual(['13:40', '13:45', '13:50', '13:55', '14:00']);
    // Drawn in UTC, each marked with its time for the client to put in the viewer's zone.
    expect(svg).toContain('data-at="2026-11-20T13:40:00.000Z" data-local="minutes"');
  });

  it('marks where each phase started, with its name', async () => {
    const svg = await tokenChart();
    expect(attrs(svg, /<g class="phase-marker" data-phase="([^"]+)"/g)).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
    ]);
    expect(words(svg)).toContain('Builder started 13:50 UTC');
    expect(svg).toMatch(/<text x="[\d.]+" y="\d+" text-anchor="(start|end)">Architect<\/text>/);
  });

  it('keeps close phase names from overlapping: a second row, then the line alone', async () => {
    const at = (m: number) => new Date(Date.parse('2026-11-20T13:40:00Z') + m * 1000).toISOString();
    const phases = ['Codebase Analysis', 'Scout', 'Architect'].map((name, i) => ({
      name,
      number: null,
      index: i,
      status: 'completed' as const,
      startedAt: at(i * 5),
      endedAt: at(i * 5 + 5),
      durationMs: 5000,
      clock: 'build' as const,
    }));
    const svg = svgWithClass(
      renderTokenChart(makeSession({ phases }), makeMetrics().tokens).toString(),
      'token-chart',
    );
    expect(svg.match(/<g class="phase-marker"/g)).toHaveLength(3);
    const rows = attrs(svg, /<g class="phase-marker"[^]*?<text x="[\d.]+" y="(\d+)"/g);
    expect(rows.slice(0, 2)).toEqual(['13', '27']);
    expect(svg).not.toMatch(/>Architect<\/text>/);
    expect(svg).toContain('<title>Architect started 13:40 UTC</title>');
  });

  it('tells screen readers what the chart shows, and stays a scalable drawing', async () => {
    const svg = await tokenChart();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="tokens-chart-title tokens-chart-desc"');
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('width="100%"');
    const desc = svg.match(/<desc id="tokens-chart-desc">([^<]+)<\/desc>/)?.[1];
    expect(desc).toBe(
      '1.1M tokens from 13:40 to 14:00 UTC in 18 bars of 1 minute; busiest 13:52 UTC with 115k, ' +
        '4 phase starts marked. Stacked from the bottom: input, output, cache write, cache read.',
    );
    expect(words(svg)).toContain(
      '13:52 UTC, 1 minute: 115k tokens (input 6k, output 4.5k, cache write 14k, cache read 90k)',
    );
  });

  it('has a legend naming each token type with its total', async () => {
    const { body } = await metricsFragment(makeMetrics());
    const legend = body.match(/<ul class="legend" aria-label="Token types">[^]*?<\/ul>/)?.[0] ?? '';
    expect(words(legend)).toBe('Input 63.6k Output 47.7k Cache write 84k Cache read 954k');
    expect(legend.match(/class="swatch tk-/g)).toHaveLength(4);
  });

  it('merges buckets when a long build would need more than the bar limit', () => {
    const start = Date.parse('2026-11-20T08:00:00Z');
    const series: TokenPoint[] = Array.from({ length: 600 }, (_, i) => ({
      at: new Date(start + i * 60_000).toISOString(),
      input: 10,
      output: 5,
      cacheRead: 100,
      cacheWrite: 1,
    }));
    const bars = tokenBars(series, 60_000);
    expect(bars.length).toBeLessThanOrEqual(MAX_BARS);
    expect(bars[0]?.widthMs).toBe(5 * 60_000);
    expect(bars.reduce((sum, bar) => sum + bar.total, 0)).toBe(600 * 116);
    expect(bucketLabel(5 * 60_000)).toBe('5 minutes');
    expect(bucketLabel(30_000)).toBe('30 seconds');
    expect(bucketLabel(3_600_000)).toBe('1 hour');
  });

  it('says so plainly when tokens are known but not over time', async () => {
    const metrics = makeMetrics();
    metrics.tokens.series = [];
    const { body } = await metricsFragment(metrics);
    expect(svgWithClass(body, 'token-chart')).toBe('');
    expect(body).toContain('No token usage over time recorded yet.');
  });
});
