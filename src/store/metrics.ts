/**
 * @module
 * The store's metrics tables: token samples (each API request once, by its key, so a restart
 * or a re-read file never double counts) and test iterations. Part of the store: only the
 * store modules speak SQL.
 */
import type Database from 'better-sqlite3';
import type { MetricsStorage } from '../core/storage.js';
import type { TokenSample } from '../collector/types.js';

interface SampleRow {
  key: string;
  source: string;
  claude_session_id: string | null;
  cwd: string | null;
  project: string | null;
  at: number;
  model: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cache_write_1h: number;
  summed: number;
  cost_usd: number | null;
  sidechain: number;
}

function toRow(sample: TokenSample): SampleRow {
  return {
    key: sample.key,
    source: sample.source,
    claude_session_id: sample.claudeSessionId,
    cwd: sample.cwd,
    project: sample.project,
    at: Math.round(sample.at),
    model: sample.model,
    input: sample.input,
    output: sample.output,
    cache_read: sample.cacheRead,
    cache_write: sample.cacheWrite,
    cache_write_1h: sample.cacheWrite1h ?? 0,
    summed: sample.summed === true ? 1 : 0,
    cost_usd: sample.costUsd,
    sidechain: sample.sidechain ? 1 : 0,
  };
}

function fromRow(row: SampleRow): TokenSample {
  return {
    key: row.key,
    source: row.source === 'otel' ? 'otel' : 'transcript',
    claudeSessionId: row.claude_session_id,
    cwd: row.cwd,
    project: row.project,
    at: row.at,
    model: row.model,
    input: row.input,
    output: row.output,
    cacheRead: row.cache_read,
    cacheWrite: row.cache_write,
    cacheWrite1h: row.cache_write_1h,
    ...(row.summed === 1 ? { summed: true } : {}),
    costUsd: row.cost_usd,
    sidechain: row.sidechain === 1,
  };
}

export function createMetricsStore(db: Database.Database): MetricsStorage {
  // One row per request, ever: a repeat is no news unless it shows more tokens (the final line
  // of a streamed response), and then the row keeps the larger figures.
  const insert = db.prepare<SampleRow>(
    `INSERT INTO token_samples
       (key, source, claude_session_id, cwd, project, at, model, input, output, cache_read, cache_write,
        cache_write_1h, summed, cost_usd, sidechain)
     VALUES (@key, @source, @claude_session_id, @cwd, @project, @at, @model, @input, @output, @cache_read,
        @cache_write, @cache_write_1h, @summed, @cost_usd, @sidechain)
     ON CONFLICT (key) DO UPDATE SET
       input = max(input, excluded.input),
       output = max(output, excluded.output),
       cache_read = max(cache_read, excluded.cache_read),
       cache_write = max(cache_write, excluded.cache_write),
       cache_write_1h = max(cache_write_1h, excluded.cache_write_1h),
       cost_usd = coalesce(max(cost_usd, excluded.cost_usd), cost_usd, excluded.cost_usd)
     WHERE excluded.input + excluded.output + excluded.cache_read + excluded.cache_write
         > input + output + cache_read + cache_write`,
  );
  // A path is "under" a folder when it equals it or continues with a separator: '0' is the
  // character after '/', so the range [folder + '/', folder + '0') is exactly that subtree.
  const under = db.prepare<{ dir: string; lo: string; hi: string; from: number; to: number }, SampleRow>(
    `SELECT * FROM token_samples
     WHERE (cwd = @dir OR (cwd >= @lo AND cwd < @hi)) AND at >= @from AND at <= @to
     ORDER BY at`,
  );
  const forProject = db.prepare<{ project: string; from: number; to: number }, SampleRow>(
    'SELECT * FROM token_samples WHERE project = @project AND at >= @from AND at <= @to ORDER BY at',
  );
  const forClaude = db.prepare<{ id: string }, SampleRow>(
    'SELECT * FROM token_samples WHERE claude_session_id = @id ORDER BY at',
  );
  const deleteByPrefix = db.prepare<{ id: string; lo: string; hi: string }>(
    'DELETE FROM token_samples WHERE claude_session_id = @id AND key >= @lo AND key < @hi',
  );
  const count = db.prepare<[], number>('SELECT count(*) FROM token_samples').pluck();
  const upsertIteration = db.prepare<{
    session_id: string;
    iteration: number;
    passed: number | null;
    failed: number | null;
    failing: string;
  }>(
    `INSERT INTO test_iterations (session_id, iteration, passed, failed, failing)
     VALUES (@session_id, @iteration, @passed, @failed, @failing)
     ON CONFLICT (session_id, iteration) DO UPDATE SET passed = excluded.passed, failed = excluded.failed, failing = excluded.failing`,
  );
  const selectIterations = db.prepare<
    { id: string },
    { iteration: number; passed: number | null; failed: number | null; failing: string }
  >(
    'SELECT iteration, passed, failed, failing FROM test_iterations WHERE session_id = @id ORDER BY iteration',
  );
  const replace = db.prepare<SampleRow>(
    `INSERT OR REPLACE INTO token_samples
       (key, source, claude_session_id, cwd, project, at, model, input, output, cache_read, cache_write,
        cache_write_1h, summed, cost_usd, sidechain)
     VALUES (@key, @source, @claude_session_id, @cwd, @project, @at, @model, @input, @output, @cache_read,
        @cache_write, @cache_write_1h, @summed, @cost_usd, @sidechain)`,
  );
  const replaceMany = db.transaction((samples: readonly TokenSample[]) => {
    for (const sample of samples) replace.run(toRow(sample));
  });
  const insertMany = db.transaction((samples: readonly TokenSample[]) => {
    const fresh: TokenSample[] = [];
    for (const sample of samples) if (insert.run(toRow(sample)).changes > 0) fresh.push(sample);
    return fresh;
  });
  const sep = (dir: string) => dir.replace(/[\\/]+$/, '');

  return {
    insertSamples: (samples) => (samples.length === 0 ? [] : insertMany(samples)),
    replaceSamples: (samples) => {
      if (samples.length > 0) replaceMany(samples);
    },
    samplesUnder: (workdir, from, to) => {
      const dir = sep(workdir);
      return under.all({ dir, lo: `${dir}/`, hi: `${dir}0`, from, to }).map(fromRow);
    },
    samplesForProject: (project, from, to) => forProject.all({ project, from, to }).map(fromRow),
    samplesForClaudeSession: (id) => forClaude.all({ id }).map(fromRow),
    deleteSamples: (id, prefix) => deleteByPrefix.run({ id, lo: prefix, hi: `${prefix}\uffff` }).changes,
    countSamples: () => count.get() ?? 0,
    saveTestIteration: (sessionId, it) =>
      void upsertIteration.run({
        session_id: sessionId,
        iteration: it.iteration,
        passed: it.passed,
        failed: it.failed,
        failing: JSON.stringify(it.failing),
      }),
    loadTestIterations: (sessionId) =>
      selectIterations.all({ id: sessionId }).map((row) => {
        let failing: string[] = [];
        try {
          const parsed: unknown = JSON.parse(row.failing);
          if (Array.isArray(parsed)) failing = parsed.filter((n): n is string => typeof n === 'string');
        } catch {
          // A damaged cell loses only its names, never the counts.
        }
        return { iteration: row.iteration, passed: row.passed, failed: row.failed, failing };
      }),
  };
}
