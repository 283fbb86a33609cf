/** The page's text: the unicorns table (the map's text alternative), the windows, the alerts, the status. */
import type { UnicornAggregate } from '../../contracts/telemetry.ts';
import type { DashboardAlert } from '../alerts.ts';
import type { Sample } from '../model.ts';
import type { DashboardStatus, SourceStatus } from '../protocol.ts';

const cell = (row: HTMLTableRowElement, text: string, header = false): HTMLTableCellElement => {
  const c = document.createElement(header ? 'th' : 'td');
  if (header) c.setAttribute('scope', 'row');
  c.textContent = text;
  row.append(c);
  return c;
};

const utc = (t: number) => new Date(t).toISOString().slice(11, 19);

/** The unicorns table: one row per unicorn, kept and updated in place (1,000 rows stay cheap). */
export class UnicornTable {
  readonly #rows = new Map<string, HTMLTableRowElement>();

  constructor(
    readonly body: HTMLTableSectionElement,
    private readonly onSelect: (name: string) => void,
  ) {}

  update(names: Iterable<string>, lastOf: (name: string) => Sample | undefined, threshold: number): void {
    let added = false;
    for (const name of names) {
      const last = lastOf(name);
      if (!last) continue;
      let row = this.#rows.get(name);
      if (!row) {
        row = this.#create(name);
        this.#rows.set(name, row);
        added = true;
      }
      const cells = row.cells;
      (cells[1] as HTMLTableCellElement).textContent = utc(last.t);
      (cells[2] as HTMLTableCellElement).textContent = last.lat.toFixed(5);
      (cells[3] as HTMLTableCellElement).textContent = last.lon.toFixed(5);
      const low = last.magic < threshold;
      (cells[4] as HTMLTableCellElement).textContent = low ? `${last.magic} ⚠ low` : String(last.magic);
      (cells[5] as HTMLTableCellElement).textContent = String(last.health);
      row.classList.toggle('low', low);
    }
    if (added) {
      for (const name of [...this.#rows.keys()].sort())
        this.body.append(this.#rows.get(name) as HTMLTableRowElement);
    }
  }

  select(selected?: string): void {
    for (const [name, row] of this.#rows) {
      row.classList.toggle('selected', name === selected);
      row.setAttribute('aria-selected', String(name === selected));
    }
  }

  clear(): void {
    this.body.replaceChildren();
    this.#rows.clear();
  }

  #create(name: string): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.name = name;
    const th = cell(row, '', true);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = name;
    button.addEventListener('click', () => this.onSelect(name));
    th.append(button);
    for (let i = 0; i < 5; i++) cell(row, '');
    return row;
  }
}

/** The windows table: the rows the server read from UnicornSensorData, newest first. */
export function renderWindows(
  body: HTMLTableSectionElement,
  rows: UnicornAggregate[],
  threshold: number,
  selected?: string,
  limit = 100,
): void {
  const shown = rows.slice(0, limit);
  body.replaceChildren(
    ...shown.map((a) => {
      const row = document.createElement('tr');
      row.dataset.name = a.Name;
      row.dataset.window = a.StatusTime;
      if (a.Name === selected) row.className = 'selected';
      cell(row, a.Name === selected ? `▶ ${a.Name}` : a.Name, true);
      cell(row, a.StatusTime);
      cell(row, String(a.Distance));
      const low = a.MinMagicPoints < threshold;
      cell(row, `${a.MinMagicPoints}–${a.MaxMagicPoints}${low ? ' ⚠ low' : ''}`).classList.toggle('low', low);
      cell(row, `${a.MinHealthPoints}–${a.MaxHealthPoints}`);
      return row;
    }),
  );
}

/** The alerts, newest first. */
export function renderAlerts(
  list: HTMLOListElement,
  alerts: DashboardAlert[],
  threshold: number,
  selected?: string,
): void {
  list.replaceChildren(
    ...[...alerts].reverse().map((a) => {
      const item = document.createElement('li');
      item.dataset.name = a.name;
      item.dataset.source = a.source;
      if (a.name === selected) item.className = 'selected';
      const strong = document.createElement('strong');
      strong.textContent = `⚠ ${a.name}`;
      const magic = a.magic !== undefined ? `magic points ${a.magic}, below ${threshold}` : a.subject;
      const when = a.statusTime ? ` at ${a.statusTime} UTC` : '';
      const how =
        a.source === 'topic'
          ? `emailed ${a.sentAt.slice(11, 19)} UTC by the alert topic`
          : 'derived from the raw stream';
      item.append(strong, ` — ${magic}${when} (${how})`);
      return item;
    }),
  );
}

/** The status area: what is missing and what to run; empty when everything reads. */
export function renderStatus(
  area: HTMLElement,
  status: DashboardStatus | undefined,
  connected: boolean,
): void {
  const lines: { kind: string; source: SourceStatus | { message: string; fix?: string } }[] = [];
  if (!connected) {
    lines.push({
      kind: 'down',
      source: {
        message:
          "The dashboard's server does not answer (was `npm start` or `npm run dashboard` stopped?). Retrying every second…",
      },
    });
  } else if (status) {
    if (status.raw.state === 'unreachable') lines.push({ kind: 'down', source: status.raw });
    else {
      for (const source of [status.raw, status.table]) {
        // `checking` lasts until the first read (half a second): not worth a line that flickers.
        if (source.state !== 'ok' && source.state !== 'checking') lines.push({ kind: source.state, source });
      }
    }
  }
  area.replaceChildren(
    ...lines.map(({ kind, source }) => {
      const p = document.createElement('p');
      p.className = `status ${kind}`;
      p.dataset.state = kind;
      appendWithCode(p, source.message);
      if (source.fix) {
        p.append(' Run ');
        const code = document.createElement('code');
        code.textContent = source.fix;
        p.append(code, '.');
      }
      return p;
    }),
  );
}

/** Appends text, with `backticked` parts as code. */
export function appendWithCode(parent: HTMLElement, text: string): void {
  text.split('`').forEach((part, i) => {
    if (i % 2 === 0) parent.append(part);
    else {
      const code = document.createElement('code');
      code.textContent = part;
      parent.append(code);
    }
  });
}
