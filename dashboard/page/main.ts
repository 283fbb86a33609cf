/**
 * The live dashboard's page: listens to its server (Server-Sent Events; the browser holds no AWS
 * credentials) and redraws what changed, at most once a frame.
 */
import type { DashboardEvent } from '../protocol.ts';
import { PointsCharts } from './charts.ts';
import { type MarkerPosition, UnicornMap } from './map.ts';
import { PageState } from './state.ts';
import { appendWithCode, renderAlerts, renderStatus, renderWindows, UnicornTable } from './tables.ts';
import './style.css';

/** Charts shown at once: the selected unicorn, then the lowest on magic. */
const CHARTS_SHOWN = 6;
/** Beyond this many unicorns their table starts folded: laying out 1,000 rows a second slows the map. */
const TABLE_FOLDED_FROM = 100;
const DEFAULT_THRESHOLD = 50;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};

const state = new PageState();
const select = (name: string) => {
  state.select(name);
  schedule();
};
const map = new UnicornMap(byId('map'), select);
const charts = new PointsCharts(byId('charts'), select);
const unicorns = new UnicornTable(
  byId<HTMLTableElement>('unicorns').tBodies[0] as HTMLTableSectionElement,
  select,
);
const windowsBody = byId<HTMLTableElement>('aggregates').tBodies[0] as HTMLTableSectionElement;
const unicornsDetails = byId<HTMLDetailsElement>('unicorns-details');
/** Whether the user opened or closed the unicorns table: then it stays as they left it. */
let tableToggledByUser = false;
/** Set while the page itself folds the table (its `toggle` event comes later). */
let foldingTable = false;
unicornsDetails.addEventListener('toggle', () => {
  if (!foldingTable) tableToggledByUser = true;
  foldingTable = false;
  if (!unicornsDetails.open) return;
  // A folded table is not kept up to date: opened, it catches up at once.
  const threshold = state.status?.threshold ?? DEFAULT_THRESHOLD;
  unicorns.update(state.tracks.names(), (name) => state.tracks.last(name), threshold);
  unicorns.select(state.selected);
});

/** Render times and update latencies, for measuring (`window.wildrydesDashboard.stats`). */
const stats = {
  renders: 0,
  renderMs: [] as number[],
  eventToPaintMs: [] as number[],
  recordToPaintMs: [] as number[],
};
const keep = (list: number[], value: number) => {
  list.push(value);
  if (list.length > 1_000) list.shift();
};

let frame = 0;
function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(render);
}

function render(): void {
  frame = 0;
  const started = performance.now();
  const dirty = state.takeDirty();
  const threshold = state.status?.threshold ?? DEFAULT_THRESHOLD;
  const names = state.tracks.names();
  if (!tableToggledByUser && unicornsDetails.open && names.length > TABLE_FOLDED_FROM) {
    foldingTable = true;
    unicornsDetails.open = false;
  }
  if (dirty.all) {
    map.clear();
    charts.clear();
    unicorns.clear();
  }
  const moved = dirty.all ? names : [...dirty.unicorns];
  const trackOf = (name: string) => state.tracks.track(name);
  map.update(moved, trackOf, { threshold, total: names.length, selected: state.selected });
  if (unicornsDetails.open) unicorns.update(moved, (name) => state.tracks.last(name), threshold);
  if (dirty.all || dirty.selection) {
    map.select(state.selected);
    unicorns.select(state.selected);
  }
  charts.show(
    chosenForCharts(names, threshold),
    trackOf,
    threshold,
    state.selected,
    dirty.all || dirty.selection,
  );
  if (dirty.all || dirty.windows || dirty.selection || dirty.status)
    renderWindows(windowsBody, state.windows.all(), threshold, state.selected);
  if (dirty.all || dirty.alerts || dirty.selection || dirty.status)
    renderAlerts(byId<HTMLOListElement>('alerts'), state.alerts, threshold, state.selected);
  if (dirty.all || dirty.status || moved.length > 0) renderText(names.length, threshold);
  const ended = performance.now();
  stats.renders++;
  keep(stats.renderMs, ended - started);
  // After the frame is painted: the time from the event's arrival, and from the record's StatusTime.
  requestAnimationFrame(() => {
    if (dirty.since > 0) keep(stats.eventToPaintMs, performance.now() - dirty.since);
    if (dirty.newest > 0) keep(stats.recordToPaintMs, Date.now() - dirty.newest);
  });
}

function chosenForCharts(names: string[], threshold: number): string[] {
  if (names.length <= CHARTS_SHOWN) {
    const hint = names.length === 0 ? 'Each unicorn gets a chart when its first record arrives.' : '';
    byId('points-hint').textContent = hint;
    return names;
  }
  const lowest = names
    .map((name) => ({ name, magic: state.tracks.last(name)?.magic ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.magic - b.magic || a.name.localeCompare(b.name))
    .map((u) => u.name);
  const chosen = state.selected ? [state.selected, ...lowest.filter((n) => n !== state.selected)] : lowest;
  byId('points-hint').textContent =
    `${names.length} unicorns: charts for ${state.selected ? 'the selected one and ' : ''}the ${CHARTS_SHOWN} lowest on magic (below ${threshold} is an alert). Select a unicorn to chart it.`;
  return chosen.slice(0, CHARTS_SHOWN);
}

function renderText(count: number, threshold: number): void {
  const status = state.status;
  byId('where').textContent = status
    ? `Live from ${status.where}${status.target === 'aws' ? ' (your AWS credentials, read only)' : ''}.`
    : 'Connecting…';
  renderStatus(byId('status'), status, state.connected);
  byId('unicorn-count').textContent = String(count);
  const low = state.tracks
    .names()
    .filter((n) => (state.tracks.last(n)?.magic ?? threshold) < threshold).length;
  byId('map').setAttribute(
    'aria-label',
    count === 0
      ? 'Map of the unicorns: no unicorn yet. The table below lists the same.'
      : `Map of ${count} unicorns, ${low} below ${threshold} magic points${state.selected ? `, ${state.selected} selected` : ''}. The table below lists each one's position.`,
  );
  const tableStatus = byId('table-status');
  tableStatus.replaceChildren();
  if (status) appendWithCode(tableStatus, status.table.message);
  const alertsStatus = byId('alerts-status');
  alertsStatus.replaceChildren();
  if (status) appendWithCode(alertsStatus, status.alerts.message);
}

function connect(): void {
  const source = new EventSource('events');
  source.onopen = () => {
    state.connected = true;
    state.dirty.status = true;
    schedule();
  };
  source.onmessage = (message) => {
    state.apply(JSON.parse(message.data) as DashboardEvent);
    schedule();
  };
  // EventSource retries by itself (the server asks for 1 s); meanwhile the page says so.
  source.onerror = () => {
    state.connected = false;
    state.dirty.status = true;
    schedule();
  };
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && state.selected) select(state.selected);
});

declare global {
  interface Window {
    /** For tests and measurements: where each marker is drawn, the selection, render timings. */
    wildrydesDashboard: {
      markers(): MarkerPosition[];
      selected(): string | undefined;
      select(name: string): void;
      stats: typeof stats;
    };
  }
}
window.wildrydesDashboard = {
  markers: () => map.positions(),
  selected: () => state.selected,
  select,
  stats,
};

connect();
