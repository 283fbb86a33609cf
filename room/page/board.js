// @ts-check
/**
 * The instructor's board: draws the room the server pushes (`/api/events`, Server-Sent Events).
 * Every name and message an attendee sent is set as text (textContent), never as HTML: a name
 * like `<img src=x onerror=…>` shows as those characters. Plain JavaScript, type-checked by
 * `tsc -p room/page` (no build step: the board serves this file as it is).
 */

/** @typedef {{ id: number, key: string, title: string }} ModuleInfo */
/** @typedef {{ module: string, passed: boolean, failedStep?: string, at: number }} LastCheck */
/**
 * @typedef {{ id: string, name: string, module: string | null, state: 'working' | 'stuck' | 'done',
 *   failedStep?: string, stuckSince?: number, lastCheck?: LastCheck, caughtUp: number[], done: number,
 *   joinedAt: number, lastSeen: number, lastCommand: string }} AttendeeRow
 */
/** @typedef {{ now: number, modules: ModuleInfo[], attendees: AttendeeRow[], maxAttendees: number }} Snapshot */

/** @type {Snapshot | undefined} */
let snapshot;
/** The page's clock minus the board's: durations are shown in the board's time. */
let skew = 0;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {number} ms */
function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** @param {number} at board time */
const ago = (at) => `${duration(Date.now() - skew - at)} ago`;

/**
 * A cell holding `text` as text.
 * @param {string} field
 * @param {string} text
 * @param {string} [title]
 */
function cell(field, text, title) {
  const td = document.createElement('td');
  td.dataset.field = field;
  td.textContent = text;
  if (title) td.title = title;
  return td;
}

/** @param {ModuleInfo[]} modules @param {string | null | undefined} key */
const moduleLabel = (modules, key) => {
  const m = modules.find((x) => x.key === key);
  return m ? `${m.id} · ${m.title}` : 'all done';
};

/** @param {Snapshot} s @param {AttendeeRow} a */
function row(s, a) {
  const tr = document.createElement('tr');
  tr.dataset.attendee = a.id;
  tr.dataset.state = a.state;
  tr.dataset.module = a.module ?? 'done';
  const last = a.lastCheck;
  tr.append(
    cell('name', a.name),
    cell('module', moduleLabel(s.modules, a.module)),
    cell('state', a.state),
    cell('failedStep', a.failedStep ?? ''),
    cell('stuckFor', a.stuckSince !== undefined ? duration(Date.now() - skew - a.stuckSince) : ''),
    cell(
      'lastCheck',
      last ? `${last.module} ${last.passed ? 'passed' : 'failed'}, ${ago(last.at)}` : '',
      last?.failedStep,
    ),
    cell('caughtUp', a.caughtUp.length ? `modules ${a.caughtUp.join(', ')}` : ''),
    cell('lastSeen', `${a.lastCommand}, ${ago(a.lastSeen)}`),
  );
  return tr;
}

function render() {
  const s = snapshot;
  if (!s) return;
  const stuck = s.attendees.filter((a) => a.state === 'stuck').length;
  const done = s.attendees.filter((a) => a.state === 'done').length;
  byId('summary').textContent =
    `${s.attendees.length} joined · ${stuck} stuck · ${done} done with every module` +
    (s.attendees.length >= s.maxAttendees ? ` · the room is full (${s.maxAttendees})` : '');
  byId('modules').replaceChildren(
    ...s.modules.map((m) => {
      const li = document.createElement('li');
      li.dataset.module = m.key;
      const on = s.attendees.filter((a) => a.module === m.key);
      li.textContent = `${m.id} · ${m.title}: ${on.length} on it, ${on.filter((a) => a.state === 'stuck').length} stuck`;
      return li;
    }),
  );
  byId('empty').hidden = s.attendees.length > 0;
  const tbody = /** @type {HTMLTableSectionElement} */ (document.querySelector('#attendees tbody'));
  tbody.replaceChildren(...s.attendees.map((a) => row(s, a)));
}

function connect() {
  const events = new EventSource('/api/events');
  events.onmessage = (event) => {
    snapshot = JSON.parse(event.data);
    skew = Date.now() - (snapshot?.now ?? Date.now());
    byId('connection').hidden = true;
    render();
  };
  // EventSource retries by itself; say so meanwhile.
  events.onerror = () => {
    byId('connection').hidden = false;
  };
}

connect();
// Durations move on between reports.
setInterval(render, 1000);
