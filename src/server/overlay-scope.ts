/**
 * @module
 * What an overlay token opens (SPEC 7 "an overlay token opens the overlay and nothing else"):
 * the overlay page and its fragment, its live stream, and the files the page loads (its
 * stylesheet, its browser modules and the shared modules they import). Not the setup page,
 * which shows the token itself, and nothing that reads or writes a build's data otherwise.
 */
import { OVERLAY_ROUTES } from '../shared/overlay-dom.js';
import { CLIENT_FILE_PATTERN } from './assets.js';

/** The browser modules the overlay page loads: src/client/overlay.ts and what it imports. */
const OVERLAY_CLIENT_MODULES: ReadonlySet<string> = new Set([
  'overlay',
  'morph',
  'connection',
  'heartbeat',
  'ticker',
]);

const MODULE = /^\/assets\/(client|shared)\/([^/]+)$/;

/** Whether a GET of `path` is part of the overlay, and so open to its token. */
export function isOverlayScope(path: string): boolean {
  if (path === OVERLAY_ROUTES.page || path === OVERLAY_ROUTES.fragment || path === OVERLAY_ROUTES.stylesheet)
    return true;
  if (path === OVERLAY_ROUTES.socket || path.startsWith(`${OVERLAY_ROUTES.socket}/`)) return true;
  const module = MODULE.exec(path);
  if (module === null) return false;
  const [, folder, file = ''] = module;
  if (!CLIENT_FILE_PATTERN.test(file)) return false;
  return folder === 'shared' || OVERLAY_CLIENT_MODULES.has(file.replace(/\.js(\.map)?$/, ''));
}
