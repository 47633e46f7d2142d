/**
 * @module
 * The models a simulated build's Claude Code session uses, spelled as Claude Code writes them in
 * `message.model`, with their context windows as `data/pricing.json` lists them: the main loop and
 * the builders on Sonnet, the scout and the tester on Haiku (as Claude Code's own research
 * subagents are), so a build's cost splits over two models.
 */

/** A model and the context window its requests are measured against. */
export interface DemoModel {
  id: string;
  contextWindow: number;
}

/** The main loop's model, and the builders'. */
export const MAIN_MODEL: DemoModel = { id: 'claude-sonnet-4-5-20250929', contextWindow: 200_000 };

/** The scout's and the tester's model. */
export const FAST_MODEL: DemoModel = { id: 'claude-haiku-4-5-20251001', contextWindow: 200_000 };
