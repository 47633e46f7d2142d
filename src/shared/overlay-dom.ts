/**
 * @module
 * The overlay's DOM contract, beside the pages' own (./dom.ts): its routes, the ids of the
 * overlay and of its setup page, and the data attributes the server draws and the overlay's
 * client reads. Each name is written once here for src/render/overlay*.ts, src/server/
 * overlay-routes.ts and src/client/overlay*.ts.
 */

/**
 * Routes of the overlay, its fragment, its live stream and its setup page, and the files they
 * load (served by buildcast itself: OBS may have no network).
 */
export const OVERLAY_ROUTES = {
  page: '/overlay',
  fragment: '/overlay/fragment',
  socket: '/overlay/ws',
  sessionSocket: '/overlay/ws/:id',
  setup: '/overlay/setup',
  stylesheet: '/assets/overlay.css',
  script: '/assets/client/overlay.js',
  setupStylesheet: '/assets/overlay-setup.css',
  setupScript: '/assets/client/overlay-setup.js',
} as const;

/** Element ids. */
export const OVERLAY_IDS = {
  /** The overlay's root: the fragment replaces it in place. */
  root: 'overlay',
  /** The setup page's form. */
  setupForm: 'overlay-setup',
  /** The frame that previews the overlay at its true size, and its backdrop. */
  previewFrame: 'overlay-preview-frame',
  preview: 'overlay-preview',
  /** The URL for OBS, its width and its height. */
  url: 'overlay-url',
  width: 'overlay-width',
  height: 'overlay-height',
} as const;

/**
 * Data attributes, keyed by their `dataset` name. The root carries what the client needs to tell
 * whether a frame concerns it (`follow`, `sessionId`, `project`, `startedAt`) and what its moments
 * are made of (`state`, `phase`, `tests`); `moment` is the client's own, on `<body>`.
 */
export const OVERLAY_DATA = {
  follow: 'data-follow',
  sessionId: 'data-session-id',
  project: 'data-project',
  startedAt: 'data-started-at',
  state: 'data-state',
  phase: 'data-phase',
  tests: 'data-tests',
  /** `phase`, `green`, `completed` or `failed` while the moment plays. */
  moment: 'data-moment',
  /** Keeps an element of a list (a phase, an agent, a log line) the same element across updates. */
  key: 'data-key',
  /** On a setup page button: the id of the field whose text it copies. */
  copy: 'data-copy',
  /** On the setup form: the overlay token the URL for OBS carries. */
  overlayToken: 'data-overlay-token',
} as const;

/** What the setup page previews the overlay over, and the query parameter that picks it. */
export const BACKDROPS = ['dark', 'light', 'checker'] as const;
export type Backdrop = (typeof BACKDROPS)[number];
export const BACKDROP_QUERY = 'backdrop';

/** How the overlay's tests stand, for the moment they turn green. */
export type TestsMark = 'none' | 'passing' | 'failing';

/** The dataset name of an overlay data attribute: `data-started-at` is `startedAt`. */
export type OverlayDataName = keyof typeof OVERLAY_DATA;
