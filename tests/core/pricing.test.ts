import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriceTable, contextLevel, normalizeModelId } from '../../src/core/pricing.js';
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
      cacheRead: 0.3,
      contextWindow: 200_000,
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
        'acme-coder-2': { input: 0.5, output: 1.5, cacheWrite: 0, cacheRead: 0 },
      },
    });
    const { table, problems } = load({ builtin: BUILTIN, override });
    expect(problems).toEqual([]);
    expect(table.priceOf('claude-sonnet-4-5-20250929')).toEqual({
      input: 6,
      output: 22.5,
      cacheWrite: 7.5,
      cacheRead: 0.6,
      contextWindow: 1_000_000,
    });
    expect(table.priceOf('acme-coder-2')).toEqual({
      input: 0.5,
      output: 1.5,
      cacheWrite: 0,
      cacheRead: 0,
      contextWindow: null,
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
    ]);
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
    expect(table.resolve('claude-haiku-5-5')).toBeNull();
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
