/**
 * @module
 * The overlay's address (SPEC 5): `/overlay?session=latest|<id>|project:<name>&layout=&theme=
 * &scale=&panels=&redact=1`, read once into a resolved shape, and written back by the setup page
 * when it builds the URL for OBS. Lenient on purpose: a value it does not know falls back to its
 * default, so a typo in a Browser Source URL still shows the build. Pure, for both builds.
 */

/** The layouts and the size each is drawn at, in CSS pixels, before `scale`. */
export const LAYOUT_SIZES = {
  corner: { width: 480, height: 270 },
  'lower-third': { width: 1920, height: 160 },
  ticker: { width: 1920, height: 48 },
  full: { width: 1920, height: 1080 },
} as const;

export type OverlayLayout = keyof typeof LAYOUT_SIZES;
export const LAYOUTS = Object.keys(LAYOUT_SIZES) as OverlayLayout[];

/** What an overlay can show, in the order it shows them. */
export const PANELS = ['phase', 'pipeline', 'tests', 'tokens', 'cost', 'agents', 'log'] as const;
export type OverlayPanel = (typeof PANELS)[number];

/** What each layout shows when `panels=` says nothing: as much as fits and still reads at a glance. */
export const DEFAULT_PANELS: Readonly<Record<OverlayLayout, readonly OverlayPanel[]>> = {
  corner: ['phase', 'pipeline', 'tests', 'tokens', 'cost'],
  'lower-third': ['phase', 'pipeline', 'tests', 'tokens', 'cost', 'agents'],
  ticker: ['phase', 'tests', 'tokens', 'cost'],
  full: PANELS,
};

export const THEMES = ['dark', 'light'] as const;
export type OverlayTheme = (typeof THEMES)[number];

/** `scale=` is snapped to quarter steps between these, so each step has its own class. */
export const SCALE = { min: 0.5, max: 3, step: 0.25 } as const;

/** Which session the overlay shows. */
export type OverlaySelector =
  { kind: 'latest' } | { kind: 'project'; project: string } | { kind: 'id'; id: string };

export interface OverlayParams {
  session: OverlaySelector;
  layout: OverlayLayout;
  theme: OverlayTheme;
  /** A multiple of {@link SCALE.step} within its bounds. */
  scale: number;
  /** In {@link PANELS} order, never empty. */
  panels: readonly OverlayPanel[];
  /** `redact=1`: redaction asked for; the server may redact even without it. */
  redact: boolean;
}

/** The query parameters of the overlay's URLs. */
export const OVERLAY_QUERY = {
  session: 'session',
  layout: 'layout',
  theme: 'theme',
  scale: 'scale',
  panels: 'panels',
  redact: 'redact',
  token: 'token',
} as const;

const PROJECT_PREFIX = 'project:';

/** `latest` (or nothing), `project:<name>`, or a session id. */
function parseSelector(text: string | null | undefined): OverlaySelector {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'latest') return { kind: 'latest' };
  if (value.startsWith(PROJECT_PREFIX)) {
    const project = value.slice(PROJECT_PREFIX.length).trim();
    return project === '' ? { kind: 'latest' } : { kind: 'project', project };
  }
  return { kind: 'id', id: value };
}

/** The selector as `session=` writes it. */
export function selectorText(selector: OverlaySelector): string {
  switch (selector.kind) {
    case 'latest':
      return 'latest';
    case 'project':
      return `${PROJECT_PREFIX}${selector.project}`;
    case 'id':
      return selector.id;
  }
}

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  list.some((item) => item === value);

/** A scale factor snapped to {@link SCALE}; 1 for anything that is not a number. */
function parseScale(text: string | null | undefined): number {
  const value = Number(text);
  if (text === null || text === undefined || text.trim() === '' || !Number.isFinite(value)) return 1;
  const clamped = Math.min(SCALE.max, Math.max(SCALE.min, value));
  return Math.round(clamped / SCALE.step) * SCALE.step;
}

/** The panels named in `panels=` (comma-separated), in their own order; the layout's when none is known. */
function parsePanels(text: string | null | undefined, layout: OverlayLayout): readonly OverlayPanel[] {
  const named = new Set((text ?? '').split(',').map((name) => name.trim().toLowerCase()));
  const panels = PANELS.filter((panel) => named.has(panel));
  return panels.length > 0 ? panels : DEFAULT_PANELS[layout];
}

/** Reads the overlay's parameters; `get` looks one up in a query string. */
export function parseOverlayParams(get: (name: string) => string | null | undefined): OverlayParams {
  const layoutText = get(OVERLAY_QUERY.layout);
  const layout = isOneOf(LAYOUTS, layoutText) ? layoutText : 'corner';
  const theme = get(OVERLAY_QUERY.theme);
  const redact = get(OVERLAY_QUERY.redact);
  return {
    session: parseSelector(get(OVERLAY_QUERY.session)),
    layout,
    theme: isOneOf(THEMES, theme) ? theme : 'dark',
    scale: parseScale(get(OVERLAY_QUERY.scale)),
    panels: parsePanels(get(OVERLAY_QUERY.panels), layout),
    redact: redact === '1' || redact === 'true',
  };
}

/** The overlay's size in CSS pixels, scale included: the Browser Source's width and height. */
export function overlaySize({ layout, scale }: Pick<OverlayParams, 'layout' | 'scale'>): {
  width: number;
  height: number;
} {
  const base = LAYOUT_SIZES[layout];
  return { width: Math.round(base.width * scale), height: Math.round(base.height * scale) };
}

/** The class that sizes a scale: `scale-150` for 1.5. */
export const scaleClass = (scale: number): string => `scale-${Math.round(scale * 100)}`;

/** Escapes a query value, keeping `:` and `,` readable (both are allowed in a query). */
const queryValue = (text: string): string =>
  encodeURIComponent(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

/**
 * The query string (without `?`) that gives these parameters, defaults left out except the
 * layout, and `token` last when there is one.
 */
export function overlayQuery(params: OverlayParams, token: string | null = null): string {
  const parts: string[] = [];
  const add = (name: string, value: string) => parts.push(`${name}=${queryValue(value)}`);
  if (params.session.kind !== 'latest') add(OVERLAY_QUERY.session, selectorText(params.session));
  add(OVERLAY_QUERY.layout, params.layout);
  if (params.theme !== 'dark') add(OVERLAY_QUERY.theme, params.theme);
  if (params.scale !== 1) add(OVERLAY_QUERY.scale, String(params.scale));
  if (params.panels.join(',') !== DEFAULT_PANELS[params.layout].join(','))
    add(OVERLAY_QUERY.panels, params.panels.join(','));
  if (params.redact) add(OVERLAY_QUERY.redact, '1');
  if (token !== null && token !== '') add(OVERLAY_QUERY.token, token);
  return parts.join('&');
}
