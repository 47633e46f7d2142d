/**
 * @module
 * Every kept run as a row of a small column table, and the table in each order the history can be
 * sorted by (SPEC 4 `GET /api/sessions?sort=`), so that listing, filtering and adding up 100,000
 * runs reads packed numbers instead of sorting or parsing anything per request (SPEC 8: under
 * 50 ms). A run has a fixed row; each order is a permutation of rows. A change rewrites the run's
 * row and moves it within an order only when that order's key changed (a binary search and one
 * block copy). After a restart the orders are sorted once.
 */
import type { Session, SessionSource, SessionState } from '../shared/protocol.js';
import { runDurationMs } from './run-figures.js';

/** The orders `GET /api/sessions` takes as `sort=`. */
export const RUN_SORTS = ['started', 'duration', 'tokens', 'cost', 'iterations'] as const;
export type RunSort = (typeof RUN_SORTS)[number];

/** Every kept order: the five above and the newest change first of the dashboard. */
export type RunOrderKey = RunSort | 'updated';
const KEYS: readonly RunOrderKey[] = ['updated', ...RUN_SORTS];

export type SortDirection = 'asc' | 'desc';

/** States and sources as small numbers, in the table's `state` and `source` columns. */
export const STATE_CODES: readonly SessionState[] = ['running', 'completed', 'failed', 'stalled'];
export const SOURCE_CODES: readonly SessionSource[] = ['live', 'push', 'checkpoint', 'transcript', 'otel'];

/** The columns a filter reads, by row. Unknown figures are NaN; they sort last either way. */
export interface RunColumns {
  readonly updated: Float64Array;
  readonly started: Float64Array;
  readonly duration: Float64Array;
  readonly tokens: Float64Array;
  readonly cost: Float64Array;
  readonly iterations: Float64Array;
  readonly state: Uint8Array;
  readonly source: Uint8Array;
  /** The project's code (see {@link RunOrder.projectCode}). */
  readonly project: Int32Array;
}

const time = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));
const known = (value: number | null): number => (value === null ? Number.NaN : value);

/** What a run's search box text is: everything it can be found by, lower-cased once. */
function searchText(s: Session): string {
  return [s.project, s.id, s.currentPhase, s.activity, s.progressDetail, s.workdir]
    .filter((part): part is string => part !== null)
    .join('\n')
    .toLowerCase();
}

export class RunOrder {
  #capacity = 0;
  #count = 0;
  #columns: RunColumns = RunOrder.#allocate(0);
  /** Row → run, id and search text (made on the first search); a freed row holds nothing. */
  #sessions: (Session | undefined)[] = [];
  #ids: string[] = [];
  #search: (string | undefined)[] = [];
  readonly #rowOf = new Map<string, number>();
  readonly #free: number[] = [];
  readonly #projects = new Map<string, number>();
  readonly #projectNames: string[] = [];
  /** Per order, the rows ascending by key then id, in the first `#count` places. */
  #orders = new Map<RunOrderKey, Int32Array>(KEYS.map((key) => [key, new Int32Array(0)]));
  /** Runs per state code, for the dashboard's tab counts. */
  readonly #stateCounts = new Int32Array(STATE_CODES.length);

  static #allocate(size: number): RunColumns {
    return {
      updated: new Float64Array(size),
      started: new Float64Array(size),
      duration: new Float64Array(size),
      tokens: new Float64Array(size),
      cost: new Float64Array(size),
      iterations: new Float64Array(size),
      state: new Uint8Array(size),
      source: new Uint8Array(size),
      project: new Int32Array(size),
    };
  }

  /** How many runs are kept. */
  get size(): number {
    return this.#count;
  }

  /** The columns as they are now (a later growth replaces them; read them per query). */
  get columns(): RunColumns {
    return this.#columns;
  }

  /** The code of a project, or -1 when no kept run ever had it. */
  projectCode(project: string): number {
    return this.#projects.get(project) ?? -1;
  }

  projectName(code: number): string {
    return this.#projectNames[code] ?? '';
  }

  session(row: number): Session {
    return this.#sessions[row]!;
  }

  /** What a run can be found by, lower-cased; made when first searched, so most runs never need it. */
  search(row: number): string {
    let text = this.#search[row];
    if (text === undefined) this.#search[row] = text = searchText(this.#sessions[row]!);
    return text;
  }

  /** Runs in each state, by state code. */
  stateCounts(): Readonly<Int32Array> {
    return this.#stateCounts;
  }

  /** Records a run's new state (or a new run). */
  put(session: Session): void {
    const row = this.#rowOf.get(session.id);
    if (row !== undefined && this.#sessions[row] === session) return;
    if (row === undefined) {
      const fresh = this.#take(session.id);
      this.#write(fresh, session);
      for (const [key, order] of this.#orders) this.#insert(order, fresh, key);
      this.#count++;
      return;
    }
    this.#stateCounts[this.#columns.state[row]!]!--;
    const before = KEYS.map((key) => this.#columns[key][row]!);
    const positions = KEYS.map((key) => this.#lowerBound(this.#orders.get(key)!, row, key));
    this.#write(row, session);
    KEYS.forEach((key, k) => {
      const value = this.#columns[key][row]!;
      if (value === before[k] || (Number.isNaN(value) && Number.isNaN(before[k]!))) return;
      const order = this.#orders.get(key)!;
      order.copyWithin(positions[k]!, positions[k]! + 1, this.#count);
      this.#count--;
      this.#insert(order, row, key);
      this.#count++;
    });
  }

  /** Records many runs at once (a restart), then sorts every order once. */
  load(sessions: Iterable<Session>): void {
    for (const session of sessions) {
      let row = this.#rowOf.get(session.id);
      if (row === undefined) {
        row = this.#take(session.id);
        this.#count++;
      } else {
        this.#stateCounts[this.#columns.state[row]!]!--;
      }
      this.#write(row, session);
    }
    for (const key of KEYS) {
      const rows = new Int32Array(this.#capacity);
      let n = 0;
      for (const row of this.#rowOf.values()) rows[n++] = row;
      rows.subarray(0, n).sort((a, b) => this.#compare(a, b, key));
      this.#orders.set(key, rows);
    }
  }

  /** Forgets a run; false when it was not kept. */
  remove(id: string): boolean {
    const row = this.#rowOf.get(id);
    if (row === undefined) return false;
    for (const [key, order] of this.#orders) {
      const at = this.#lowerBound(order, row, key);
      order.copyWithin(at, at + 1, this.#count);
    }
    this.#count--;
    this.#stateCounts[this.#columns.state[row]!]!--;
    this.#rowOf.delete(id);
    this.#sessions[row] = undefined;
    this.#search[row] = undefined;
    this.#free.push(row);
    return true;
  }

  /**
   * Visits rows in an order until `visit` returns false: descending from the largest key down
   * (ties by id, last first), ascending from the smallest up; runs without the key last either way.
   */
  scan(key: RunOrderKey, direction: SortDirection, visit: (row: number) => boolean | void): void {
    const order = this.#orders.get(key)!;
    const column = this.#columns[key];
    const count = this.#count;
    if (direction === 'asc') {
      for (let i = 0; i < count; i++) if (visit(order[i]!) === false) return;
      return;
    }
    // The runs with the key end where the first NaN is (NaNs sort after every number).
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Number.isNaN(column[order[mid]!]!)) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo - 1; i >= 0; i--) if (visit(order[i]!) === false) return;
    for (let i = count - 1; i >= lo; i--) if (visit(order[i]!) === false) return;
  }

  /** The first `limit` runs of an order. */
  first(key: RunOrderKey, direction: SortDirection, limit: number): Session[] {
    const out: Session[] = [];
    if (limit <= 0) return out;
    this.scan(key, direction, (row) => {
      out.push(this.#sessions[row]!);
      return out.length < limit;
    });
    return out;
  }

  /** Ascending by key, NaN after every number, ties by id: a total order, so positions are exact. */
  #compare(a: number, b: number, key: RunOrderKey): number {
    const column = this.#columns[key];
    const x = column[a]!;
    const y = column[b]!;
    if (x !== y) {
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (!(xn && yn)) {
        if (xn) return 1;
        if (yn) return -1;
        return x < y ? -1 : 1;
      }
    }
    const p = this.#ids[a]!;
    const q = this.#ids[b]!;
    return p === q ? 0 : p < q ? -1 : 1;
  }

  /** The first position in `order` whose row does not sort before `row`. */
  #lowerBound(order: Int32Array, row: number, key: RunOrderKey): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(order[mid]!, row, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insert(order: Int32Array, row: number, key: RunOrderKey): void {
    const at = this.#lowerBound(order, row, key);
    order.copyWithin(at + 1, at, this.#count);
    order[at] = row;
  }

  /** A row for a new run, growing every column (and order) when the table is full. */
  #take(id: string): number {
    const reused = this.#free.pop();
    const row = reused ?? this.#rowOf.size + this.#free.length;
    if (row >= this.#capacity) this.#grow(Math.max(1024, this.#capacity * 2));
    this.#rowOf.set(id, row);
    this.#ids[row] = id;
    return row;
  }

  #grow(capacity: number): void {
    const next = RunOrder.#allocate(capacity);
    for (const name of Object.keys(next) as (keyof RunColumns)[]) {
      (next[name] as Float64Array).set(this.#columns[name] as Float64Array);
    }
    this.#columns = next;
    for (const [key, order] of this.#orders) {
      const grown = new Int32Array(capacity);
      grown.set(order);
      this.#orders.set(key, grown);
    }
    this.#capacity = capacity;
  }

  #write(row: number, s: Session): void {
    const c = this.#columns;
    c.updated[row] = time(s.updatedAt);
    c.started[row] = time(s.startedAt);
    c.duration[row] = known(runDurationMs(s));
    c.tokens[row] = known(s.tokensTotal);
    c.cost[row] = known(s.costUsd);
    c.iterations[row] = known(s.testIteration);
    c.state[row] = Math.max(0, STATE_CODES.indexOf(s.state));
    c.source[row] = Math.max(0, SOURCE_CODES.indexOf(s.source));
    let project = this.#projects.get(s.project);
    if (project === undefined) {
      project = this.#projectNames.length;
      this.#projects.set(s.project, project);
      this.#projectNames.push(s.project);
    }
    c.project[row] = project;
    this.#stateCounts[c.state[row]!]!++;
    this.#sessions[row] = s;
    this.#search[row] = undefined;
  }
}
