/**
 * @module
 * The most buildcast takes of anything a build sends (SPEC 7: "JSON depth, list lengths, text
 * sizes and the number of distinct models are capped with a warning"). Every parser cuts at
 * these limits at the edge, so nothing downstream ever works on more than a bounded amount per
 * session, whatever a hostile or runaway build writes. What is cut is marked where it is shown
 * ({@link TRUNCATED}) or named in a warning.
 */

/** JSON nested deeper than this is refused: no build file nests beyond a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/** Phases kept from one `phases_completed` list, and in one session's timeline. */
export const MAX_PHASES = 64;

/** Names (projects, phases, agents, models, ids) are cut to this many characters. */
export const MAX_NAME_LENGTH = 200;

/** Paths (a transcript's `cwd`, a work directory) longer than this are cut: no file system allows more. */
export const MAX_PATH_LENGTH = 4096;

/** Status words are cut to this many characters. */
export const MAX_STATUS_LENGTH = 64;

/** Phase numbers ("4.5/8") longer than this are kept as text only, never read as numbers. */
export const MAX_PHASE_NUMBER_LENGTH = 32;

/** Free text (progress detail, descriptions, errors, values kept as written) is cut here. */
export const MAX_TEXT_LENGTH = 4000;

/** Lists kept as written (in `extra`, summaries, tasks' files and dependencies) keep this many entries. */
export const MAX_LIST_ENTRIES = 1000;

/** Test iterations shown per session, the latest ones: a build that fixes its tests needs a handful. */
export const MAX_TEST_ITERATIONS = 200;

/** Distinct models shown per session; the rest are counted together as one "other" row. */
export const MAX_MODELS = 32;

/** The end of every text that was cut, so a reader sees that there was more. */
export const TRUNCATED = '…(truncated)';
