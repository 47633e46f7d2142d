/**
 * @module
 * Says so when a build ends while the page is open: the document title carries how many builds
 * are running and how many have failed ("(2 running, 1 failed) buildcast"), the favicon gets a
 * red dot while any has failed, and a short notice (in the shell's `role="status"` region, read
 * out by screen readers) names the build that failed or completed, with a link to it.
 *
 * A failure counts from the moment the page sees it until a newer run of the same project
 * starts: builds that had already failed when the page opened are on the Failed tab, not news.
 */
import { IDS } from '../shared/dom.js';
import { faviconPath, sessionPath } from '../shared/paths.js';
import type { Session, SessionState } from '../shared/protocol.js';

/** How long a notice stays, unless the pointer or focus is on it. */
const NOTICE_MS = 12_000;

/** The title's prefix: "(2 running, 1 failed) ", or nothing when there is nothing to count. */
function titlePrefix(running: number, stalled: number, failed: number): string {
  const parts = [
    running > 0 && `${running} running`,
    stalled > 0 && `${stalled} stalled`,
    failed > 0 && `${failed} failed`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length === 0 ? '' : `(${parts.join(', ')}) `;
}

/** What a notice says of a build that just ended. */
function noticeText(session: Pick<Session, 'project' | 'state' | 'currentPhase'>): string {
  if (session.state === 'failed')
    return session.currentPhase
      ? `${session.project} failed at ${session.currentPhase}`
      : `${session.project} failed`;
  return `${session.project} completed`;
}

type Seen = Pick<Session, 'id' | 'project' | 'state' | 'currentPhase'>;

export class Announcer {
  readonly #baseTitle = document.title;
  readonly #states = new Map<string, SessionState>();
  /** Failures seen while the page is open, by project: the run that failed. */
  readonly #failed = new Map<string, string>();
  #snapshots = 0;
  #icon = '';

  /** A snapshot: the first one is how things stand; after a reconnect, what changed is news. */
  snapshot(sessions: readonly Seen[]): void {
    this.#snapshots += 1;
    for (const session of sessions) {
      if (this.#snapshots === 1) this.#states.set(session.id, session.state);
      else this.#note(session);
    }
    this.#show();
  }

  /** A session frame. */
  session(session: Seen): void {
    this.#note(session);
    this.#show();
  }

  #note(session: Seen): void {
    const previous = this.#states.get(session.id);
    this.#states.set(session.id, session.state);
    const failedRun = this.#failed.get(session.project);
    if (failedRun !== undefined && failedRun !== session.id && session.state === 'running') {
      // A new run of a project whose last run failed: that failure is behind it.
      this.#failed.delete(session.project);
    }
    if (previous === session.state || this.#snapshots === 0) return;
    if (session.state === 'failed') this.#failed.set(session.project, session.id);
    if (session.state === 'failed' || session.state === 'completed') this.#notice(session);
  }

  #show(): void {
    let running = 0;
    let stalled = 0;
    for (const state of this.#states.values()) {
      if (state === 'running') running += 1;
      else if (state === 'stalled') stalled += 1;
    }
    const title = `${titlePrefix(running, stalled, this.#failed.size)}${this.#baseTitle}`;
    if (document.title !== title) document.title = title;
    const icon = faviconPath(this.#failed.size > 0);
    if (icon !== this.#icon) {
      this.#icon = icon;
      for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')) link.href = icon;
    }
  }

  #notice(session: Seen): void {
    const region = document.getElementById(IDS.notices);
    if (!region) return;
    const notice = document.createElement('p');
    notice.className = `notice notice-${session.state}`;
    const text = document.createElement('span');
    text.textContent = `${noticeText(session)}. `;
    const link = document.createElement('a');
    link.href = sessionPath(session.id);
    link.textContent = session.state === 'failed' ? 'See why' : 'Open';
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'notice-dismiss';
    dismiss.setAttribute('aria-label', 'Dismiss');
    dismiss.textContent = '×';
    dismiss.addEventListener('click', () => notice.remove());
    notice.append(text, link, dismiss);
    region.append(notice);
    const expire = (): void => {
      if (notice.matches(':hover, :focus-within')) setTimeout(expire, NOTICE_MS / 4);
      else notice.remove();
    };
    setTimeout(expire, NOTICE_MS);
  }
}
