/**
 * @module
 * The plan as the pages are given it: each phase of the protocol's plan (src/core/plan.ts builds
 * it) with the two facts about its name the pages mark, worked out by the caller so render stays
 * a pure function of data.
 */
import type { PlanPhase } from '../shared/protocol.js';

/** One phase of a session's plan, ready to draw. */
export interface PlannedPhase extends PlanPhase {
  /** One of Context Foundry's own phases; others are drawn as the build's extras. */
  canonical: boolean;
  /** A phase a build may leave out (Codebase Analysis, GitHub Integration), marked "optional". */
  optional: boolean;
}
