/** The page's copy of what the server sent, and what the user selected. */
import type { DashboardAlert } from '../alerts.ts';
import { Tracks, Windows } from '../model.ts';
import type { DashboardEvent, DashboardStatus } from '../protocol.ts';

/** What changed since the last render, so a frame redraws only that. */
export interface Dirty {
  /** Unicorns with new records. */
  unicorns: Set<string>;
  windows: boolean;
  alerts: boolean;
  status: boolean;
  selection: boolean;
  /** Everything (a reset, the first snapshot). */
  all: boolean;
  /** The newest `StatusTime` received since the last render (ms), for the update latency. */
  newest: number;
  /** When the first event since the last render arrived (performance.now()). */
  since: number;
}

/** The page's state. */
export class PageState {
  readonly tracks = new Tracks();
  readonly windows = new Windows();
  alerts: DashboardAlert[] = [];
  status?: DashboardStatus;
  selected?: string;
  /** Whether the page's own server answers (the EventSource is open). */
  connected = false;
  dirty: Dirty = PageState.#clean();

  static #clean(): Dirty {
    return {
      unicorns: new Set(),
      windows: false,
      alerts: false,
      status: false,
      selection: false,
      all: false,
      newest: 0,
      since: 0,
    };
  }

  /** Takes the changes to render, leaving none. */
  takeDirty(): Dirty {
    const dirty = this.dirty;
    this.dirty = PageState.#clean();
    return dirty;
  }

  /** Applies one event from the server. */
  apply(event: DashboardEvent): void {
    if (this.dirty.since === 0) this.dirty.since = performance.now();
    switch (event.type) {
      case 'hello':
        this.tracks.clear();
        this.windows.clear();
        this.tracks.add(event.statuses);
        this.windows.upsert(event.aggregates);
        this.alerts = event.alerts;
        this.status = event.status;
        this.dirty.all = true;
        return;
      case 'raw':
        for (const name of this.tracks.add(event.statuses)) this.dirty.unicorns.add(name);
        for (const s of event.statuses) {
          const t = Date.parse(`${s.StatusTime.replace(' ', 'T')}Z`);
          if (t > this.dirty.newest) this.dirty.newest = t;
        }
        return;
      case 'aggregates':
        this.windows.upsert(event.rows);
        this.dirty.windows = true;
        return;
      case 'alerts':
        this.alerts = [...this.alerts, ...event.alerts].slice(-200);
        this.dirty.alerts = true;
        return;
      case 'status':
        this.status = event.status;
        this.dirty.status = true;
        return;
      case 'reset':
        this.tracks.clear();
        this.windows.clear();
        this.alerts = this.status?.alertsFrom === 'topic' ? this.alerts : [];
        this.dirty.all = true;
        return;
    }
  }

  /** Selects a unicorn (or none); selecting the selected one clears it. */
  select(name: string | undefined): void {
    this.selected = name === this.selected ? undefined : name;
    this.dirty.selection = true;
  }
}
