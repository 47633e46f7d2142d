import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { aggregateMetrics } from '../../src/core/metrics-aggregate.js';
import { PriceTable, contextLevel, normalizeModelId } from '../../src/core/pricing.js';
import { RecentKeys } from '../../src/collector/transcript.js';
import { parseTranscriptChunk } from '../../src/collector/transcript-chunk.js';
import {
  defaultBuiltinPricingPath,
  loadPricing,
  type PricingFiles,
} from '../../src/collector/pricing-file.js';

/** Reads the files as the composition root does, into the table the domain prices with. */
function load(files: PricingFiles): { table: PriceTable; problems: string[] } {
  const { entries, problems } = loadPricing(files);
  return { table: new PriceTable(entries), problems };
}

const BUILTIN = fileURLToPath(new URL('../../data/pricing.json', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'buildcast-pricing-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function overrideFile(content: unknown): Promise<string> {
  const file = path.join(dir, 'pricing.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const shipped = (): PriceTable => {
  const { table, problems } = load({ builtin: BUILTIN });
  expect(problems).toEqual([]);
  return table;
};

describe('the shipped price table', () => {
  it('loads every model with its published prices and context window', () => {
    const table = shipped();
    expect(table.size).toBeGreaterThanOrEqual(20);
    expect(table.priceOf('claude-sonnet-4-5')).toEqual({
      input: 3,
      output: 15,
      cacheWrite: 3.75,
      cacheWrite1h: 6,
      cacheRead: 0.3,
      contextWindow: 200_000,
      longContext: {
        above: 200_000,
        input: 6,
        output: 22.5,
        cacheWrite: 7.5,
        cacheWrite1h: 12,
        cacheRead: 0.6,
      },
    });
    expect(table.priceOf('claude-sonnet-4')?.longContext).toMatchObject({ above: 200_000, input: 6 });
    // The 1M window of the 4.6 models and later is priced flat across it.
    expect(table.priceOf('claude-sonnet-4-6')?.longContext).toBeNull();
    expect(table.priceOf('claude-opus-4-6')?.longContext).toBeNull();
    expect(table.priceOf('claude-haiku-5-5')).toMatchObject({
      input: 0.1,
      cacheRead: 0.01,
      longContext: { above: 100_000, input: 0.5, output: 2.5, cacheWrite: 0.625, cacheWrite1h: 1 },
    });
    expect(table.priceOf('claude-opus-4-1')).toMatchObject({ input: 15, output: 75, cacheRead: 1.5 });
    expect(table.priceOf('claude-opus-4-6')).toMatchObject({
      input: 5,
      output: 25,
      contextWindow: 1_000_000,
    });
    expect(table.priceOf('claude-haiku-4-5')).toMatchObject({ input: 1, output: 5, cacheWrite: 1.25 });
    expect(table.priceOf('claude-3-5-haiku')).toMatchObject({ input: 0.8, output: 4, cacheRead: 0.08 });
    expect(table.priceOf('claude-3-haiku')).toMatchObject({ input: 0.25, cacheWrite: 0.3, cacheRead: 0.03 });
  });

  it('prices every 1-hour cache write at twice the input rate, as Anthropic does', () => {
    const table = shipped();
    for (const model of table.models()) {
      const price = table.priceOf(model)!;
      expect(price.cacheWrite1h, model).toBeCloseTo(price.input * 2, 10);
      if (price.longContext)
        expect(price.longContext.cacheWrite1h, model).toBeCloseTo(price.longContext.input * 2, 10);
    }
  });

  it('is found from the source tree by the default path', () => {
    expect(defaultBuiltinPricingPath()).toBe(BUILTIN);
  });
});

describe('the user override file', () => {
  it('replaces a shipped entry whole and adds new models, leaving the rest alone', async () => {
    const override = await overrideFile({
      models: {
        'claude-sonnet-4-5': {
          input: 6,
          output: 22.5,
          cacheWrite: 7.5,
          cacheRead: 0.6,
          contextWindow: 1_000_000,
        },
        'acme-coder-2': {
          input: 0.5,
          output: 1.5,
          cacheWrite: 0,
          cacheWrite1h: 0.75,
          cacheRead: 0,
          longContext: { above: 32_000, input: 1, output: 3, cacheWrite: 0, cacheRead: 0 },
        },
      },
    });
    const { table, problems } = load({ builtin: BUILTIN, override });
    expect(problems).toEqual([]);
    // Without a 1-hour rate the file gets Anthropic's (twice the input); without a tier, none.
    expect(table.priceOf('claude-sonnet-4-5-20250929')).toEqual({
      input: 6,
      output: 22.5,
      cacheWrite: 7.5,
      cacheWrite1h: 12,
      cacheRead: 0.6,
      contextWindow: 1_000_000,
      longContext: null,
    });
    expect(table.priceOf('acme-coder-2')).toEqual({
      input: 0.5,
      output: 1.5,
      cacheWrite: 0,
      cacheWrite1h: 0.75,
      cacheRead: 0,
      contextWindow: null,
      longContext: { above: 32_000, input: 1, output: 3, cacheWrite: 0, cacheWrite1h: 2, cacheRead: 0 },
    });
    expect(table.priceOf('claude-haiku-4-5')?.input).toBe(1);
  });

  it('reports invalid entries with the file and the field, keeps the valid ones, and never throws', async () => {
    const override = await overrideFile({
      models: {
        'claude-opus-4-6': { input: -5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
        'claude-haiku-4-5': { input: '1', output: 5, cacheWrite: 1.25 },
        'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, contextWindow: 1.5 },
        'claude-3-opus': 'fifteen dollars',
        'claude-*-opus': { input: 1, output: 1, cacheWrite: 1, cacheRead: 1 },
        'acme-coder-2': { input: 0.5, output: 1.5, cacheWrite: 0.6, cacheRead: 0.05 },
        'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheWrite1h: '30', cacheRead: 1.5 },
        'claude-sonnet-4': {
          input: 3,
          output: 15,
          cacheWrite: 3.75,
          cacheRead: 0.3,
          longContext: { above: 200_000.5, input: 6, output: -22.5, cacheWrite: 7.5, cacheRead: 0.6 },
        },
        'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, longContext: 6 },
      },
    });
    const { table, problems } = load({ builtin: BUILTIN, override });
    expect(problems).toEqual([
      `${override}: models["claude-opus-4-6"].input: expected a non-negative number of dollars per million tokens, got -5`,
      `${override}: models["claude-haiku-4-5"].input: expected a non-negative number of dollars per million tokens, got "1"`,
      `${override}: models["claude-haiku-4-5"].cacheRead: expected a non-negative number of dollars per million tokens, got undefined`,
      `${override}: models["claude-sonnet-4-6"].contextWindow: expected a positive whole number of tokens, got 1.5`,
      `${override}: models["claude-3-opus"]: expected an object of prices, got "fifteen dollars"`,
      `${override}: models["claude-*-opus"]: not a model id or prefix (a "*" may only end it)`,
      `${override}: models["claude-opus-4-1"].cacheWrite1h: expected a non-negative number of dollars per million tokens, got "30"`,
      `${override}: models["claude-sonnet-4"].longContext.above: expected a positive whole number of tokens, got 200000.5`,
      `${override}: models["claude-sonnet-4"].longContext.output: expected a non-negative number of dollars per million tokens, got -22.5`,
      `${override}: models["claude-3-7-sonnet"].longContext: expected an object of prices, got 6`,
    ]);
    // A bad tier leaves the shipped entry, tier and all, rather than a base price without it.
    expect(table.priceOf('claude-sonnet-4')?.longContext?.output).toBe(22.5);
    expect(table.priceOf('claude-opus-4-1')?.cacheWrite1h).toBe(30);
    // Bad override entries leave the shipped prices in force rather than a half-read price.
    expect(table.priceOf('claude-opus-4-6')?.input).toBe(5);
    expect(table.priceOf('claude-haiku-4-5')?.input).toBe(1);
    expect(table.priceOf('acme-coder-2')?.output).toBe(1.5);
  });

  it('reports a file that is not JSON, or not in US dollars, and ignores it', async () => {
    const broken = await overrideFile('{"models": {');
    const first = load({ builtin: BUILTIN, override: broken });
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(new RegExp(`^${broken.replace(/[\\/.]/g, '\\$&')}: invalid JSON: `));
    expect(first.table.priceOf('claude-sonnet-4-5')?.input).toBe(3);

    const euros = await overrideFile({ currency: 'EUR', models: { 'claude-sonnet-4-5': { input: 1 } } });
    const second = load({ builtin: BUILTIN, override: euros });
    expect(second.problems).toEqual([
      `${euros}: currency "EUR" is not supported (prices are US dollars); file ignored`,
    ]);
    expect(second.table.priceOf('claude-sonnet-4-5')?.input).toBe(3);
  });

  it('complains about a missing override file unless it is the optional default', () => {
    const missing = path.join(dir, 'nope', 'pricing.json');
    const strict = load({ builtin: BUILTIN, override: missing });
    expect(strict.problems).toHaveLength(1);
    expect(strict.problems[0]).toContain(`${missing}: cannot read pricing: ENOENT`);
    const optional = load({ builtin: BUILTIN, override: missing, overrideOptional: true });
    expect(optional.problems).toEqual([]);
    expect(optional.table.size).toBe(strict.table.size);
  });

  it('leaves every cost unknown when even the shipped table cannot be read', () => {
    const { table, problems } = load({ builtin: path.join(dir, 'missing.json') });
    expect(problems).toHaveLength(1);
    expect(table.size).toBe(0);
    expect(
      table.costOf('claude-sonnet-4-5', { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }),
    ).toBeNull();
  });
});

describe('model matching', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-haiku-5-5', 'claude-haiku-5-5'],
    ['Claude-Sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-sonnet-4-5-20250929-thinking', 'claude-sonnet-4-5'],
  ])('%s is priced as %s', (model, key) => {
    expect(shipped().resolve(model)).toBe(key);
  });

  it.each([
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'claude-3-5-sonnet'],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5',
    ],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['publishers/anthropic/models/claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['anthropic/claude-3.7-sonnet', 'claude-3-7-sonnet'],
  ])('the Bedrock, Vertex or gateway spelling %s is priced as %s', (model, key) => {
    expect(shipped().resolve(model)).toBe(key);
  });

  it('never lends an older model its price: an unknown minor version stays unknown', () => {
    const table = shipped();
    expect(table.resolve('claude-opus-4-9')).toBeNull();
    expect(table.resolve('claude-sonnet-4-7-20261201')).toBeNull();
    expect(table.resolve('claude-haiku-5-7')).toBeNull();
  });

  it('uses the longest configured prefix, and a "*" key for a whole family', () => {
    const table = new PriceTable([
      ['acme', { input: 1, output: 1, cacheWrite: 1, cacheRead: 1, contextWindow: null }],
      ['acme-coder', { input: 2, output: 2, cacheWrite: 2, cacheRead: 2, contextWindow: null }],
      ['local-*', { input: 0, output: 0, cacheWrite: 0, cacheRead: 0, contextWindow: 32_000 }],
    ]);
    expect(table.resolve('acme-coder-fast')).toBe('acme-coder');
    expect(table.resolve('acme-writer')).toBe('acme');
    expect(table.resolve('local-llama-3-70b')).toBe('local-*');
    expect(table.contextWindow('local-qwen-7')).toBe(32_000);
  });

  it('normalizes provider spellings and remembers the 1M-context marker', () => {
    expect(normalizeModelId(' US.Anthropic.Claude-Opus-4-6-v1:0 ')).toEqual({
      id: 'claude-opus-4-6',
      longContext: false,
    });
    expect(normalizeModelId('claude-sonnet-4-5[1m]')).toEqual({ id: 'claude-sonnet-4-5', longContext: true });
  });
});

describe('cost', () => {
  it('is exact for a known usage', () => {
    const table = shipped();
    const usage = { input: 12, output: 845, cacheRead: 18_230, cacheWrite: 2_210 };
    expect(table.costOf('claude-sonnet-4-5-20250929', usage)).toBe(0.0264675);
    expect(
      table.costOf('claude-opus-4-6', { input: 6, output: 1290, cacheRead: 40_116, cacheWrite: 512 }),
    ).toBe(0.055538);
    expect(table.costOf('claude-3-haiku', { input: 1000, output: 0, cacheRead: 1000, cacheWrite: 0 })).toBe(
      0.00028,
    );
    expect(table.costOf('claude-sonnet-4-5', { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 })).toBe(0);
  });

  it('prices 1-hour cache writes at their own rate, the rest of the writes at the 5-minute rate', () => {
    const table = shipped();
    // Sonnet 4.5: 3 × $3 + 412 × $15 + 41,022 × $0.30 + 1,180 × $3.75 + 5,000 × $6, per million.
    const usage = { input: 3, output: 412, cacheRead: 41_022, cacheWrite: 6_180, cacheWrite1h: 5_000 };
    expect(table.costOf('claude-sonnet-4-5-20250929', usage)).toBe(0.0529206);
    // The same writes all at the 5-minute rate, as when a source gives no split.
    expect(table.costOf('claude-sonnet-4-5-20250929', { ...usage, cacheWrite1h: 0 })).toBe(0.0416706);
    expect(table.costOf('claude-sonnet-4-5-20250929', { ...usage, cacheWrite1h: undefined })).toBe(0.0416706);
    // Opus 4.1 writes: 10,000 for an hour at $30, nothing else.
    expect(
      table.costOf('claude-opus-4-1-20250805', {
        input: 0,
        output: 0,
        cacheRead: 0,
        cacheWrite: 10_000,
        cacheWrite1h: 10_000,
      }),
    ).toBe(0.3);
    // More 1-hour writes than writes is no real request.
    expect(
      table.costOf('claude-haiku-4-5', { input: 0, output: 0, cacheRead: 0, cacheWrite: 5, cacheWrite1h: 6 }),
    ).toBeNull();
  });

  it('prices a request whose prompt passes 200k tokens at the long-context rates, every token of it', () => {
    const table = shipped();
    const under = { input: 0, output: 1_000, cacheRead: 180_000, cacheWrite: 20_000, cacheWrite1h: 0 };
    // Exactly 200,000 prompt tokens: 1,000 × $15 + 180,000 × $0.30 + 20,000 × $3.75.
    expect(table.costOf('claude-sonnet-4-5-20250929', under)).toBe(0.144);
    // One more input token: 1 × $6 + 1,000 × $22.50 + 180,000 × $0.60 + 20,000 × $7.50.
    expect(table.costOf('claude-sonnet-4-5-20250929', { ...under, input: 1 })).toBe(0.280506);
    // Reads, writes and input count together: 10 × $6 + 1,000 × $22.50 + 190,000 × $0.60 +
    // 20,000 1-hour writes × $12.
    const long = { input: 10, output: 1_000, cacheRead: 190_000, cacheWrite: 20_000, cacheWrite1h: 20_000 };
    expect(table.costOf('claude-sonnet-4-20250514', long)).toBe(0.37656);
    expect(table.costOf('claude-sonnet-4-5[1m]', long)).toBe(0.37656);
    // Opus 4.6 has a 1M window priced flat: 10 × $5 + 1,000 × $25 + 190,000 × $0.50 + 20,000 × $10.
    expect(table.costOf('claude-opus-4-6', long)).toBe(0.32005);
    // Haiku 5.5's tier starts past 100k: 100,001 × $0.50 + 100 × $2.50.
    expect(
      table.costOf('claude-haiku-5-5', { input: 100_001, output: 100, cacheRead: 0, cacheWrite: 0 }),
    ).toBe(0.0502505);
    expect(
      table.costOf('claude-haiku-5-5', { input: 100_000, output: 100, cacheRead: 0, cacheWrite: 0 }),
    ).toBe(0.01005);
  });

  it('prices a recent Claude Code session as Anthropic bills it, request by request', () => {
    const table = shipped();
    const fixture = fileURLToPath(new URL('../fixtures/transcripts/session-1h-cache.jsonl', import.meta.url));
    const { samples } = parseTranscriptChunk(readFileSync(fixture), new RecentKeys());
    // Per request, in millionths of a dollar (tokens × dollars per million tokens):
    expect(samples.map((s) => table.costOf(s.model, s))).toEqual([
      // 3 × 3 + 214 × 15 + 18,231 one-hour writes × 6
      0.112605,
      // 1 × 3 + 385 × 15 + 18,231 × 0.30 + 406 × 3.75 + 2,000 × 6
      0.0247698,
      // Haiku 4.5 subagent: 4 × 1 + 611 × 5 + 5,120 × 1.25
      0.009459,
      // 201,712 prompt tokens, the long-context tier: 2 × 6 + 1,290 × 22.50 + 198,400 × 0.60 + 3,310 × 12
      0.187797,
      // No split: 5 × 3 + 77 × 15 + 20,637 × 0.30 + 900 × 3.75
      0.0107361,
    ]);
    const metrics = aggregateMetrics({
      sessionId: 'weather-app',
      samples,
      phases: [],
      prices: table,
      iterations: [],
      currentIteration: null,
    });
    expect(metrics.tokens.costUsd).toBe(0.3453669);
    expect(metrics.tokens.subagent.costUsd).toBe(0.009459);
    expect(metrics.tokens.byModel.map((m) => [m.model, m.costUsd])).toEqual([
      ['claude-sonnet-4-5-20250929', 0.3359079],
      ['claude-haiku-4-5-20251001', 0.009459],
    ]);
  });

  it('is unknown for a total of many requests that may hold long ones, and priced when none can', () => {
    const table = shipped();
    const total = { input: 90, output: 9_000, cacheRead: 900_000, cacheWrite: 40_000, summed: true };
    expect(table.costOf('claude-sonnet-4-5', total)).toBeNull();
    // No request of a total under the threshold can be over it.
    expect(table.costOf('claude-sonnet-4-5', { ...total, cacheRead: 150_000 })).toBe(0.33027);
    // A model without a tier prices any total.
    expect(table.costOf('claude-opus-4-6', total)).toBe(0.92545);
  });

  it('is unknown (null), never guessed, for a model without a price', () => {
    const table = shipped();
    const usage = { input: 100, output: 100, cacheRead: 0, cacheWrite: 0 };
    expect(table.priceOf('gpt-5')).toBeNull();
    expect(table.costOf('gpt-5', usage)).toBeNull();
    expect(table.costOf('<synthetic>', usage)).toBeNull();
    expect(table.contextWindow('gpt-5')).toBeNull();
  });

  it('is unknown for counts that are not counts', () => {
    const table = shipped();
    expect(
      table.costOf('claude-sonnet-4-5', { input: -1, output: 0, cacheRead: 0, cacheWrite: 0 }),
    ).toBeNull();
    expect(
      table.costOf('claude-sonnet-4-5', { input: NaN, output: 0, cacheRead: 0, cacheWrite: 0 }),
    ).toBeNull();
  });
});

describe('context gauge', () => {
  it.each([
    [0, 'safe'],
    [49.9, 'safe'],
    [50, 'warning'],
    [74.9, 'warning'],
    [75, 'critical'],
    [130, 'critical'],
  ] as const)('%s %% is %s', (percent, level) => {
    expect(contextLevel(percent)).toBe(level);
  });

  it("measures the latest request's input and cache tokens against the model's window", () => {
    const table = shipped();
    expect(
      table.contextGauge('claude-sonnet-4-5-20250929', { input: 12, cacheRead: 118_230, cacheWrite: 2_210 }),
    ).toEqual({
      usedTokens: 120_452,
      limit: 200_000,
      percent: 60.2,
      level: 'warning',
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(
      table.contextGauge('claude-sonnet-4-5[1m]', { input: 12, cacheRead: 118_230, cacheWrite: 2_210 }),
    ).toMatchObject({ limit: 1_000_000, percent: 12, level: 'safe' });
    expect(
      table.contextGauge('claude-haiku-4-5', { input: 150_000, cacheRead: 0, cacheWrite: 0 }).level,
    ).toBe('critical');
    expect(table.contextGauge('mystery-model', { input: 10, cacheRead: 0, cacheWrite: 0 })).toEqual({
      usedTokens: 10,
      limit: null,
      percent: null,
      level: null,
      model: 'mystery-model',
    });
  });
});
