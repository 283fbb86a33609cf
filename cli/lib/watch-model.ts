/**
 * `npm run watch`, without I/O: a state machine (save → new code live → check → result) and the
 * screen it draws. cli/commands/watch.ts feeds it events (saves, keys, results) and carries out
 * the effects it asks for.
 */
import { namesFor, type WorkshopNames } from '../../contracts/attendee.ts';
import type { WorkshopModule } from '../../core/curriculum.ts';

/** What the watch is doing. */
export type Phase =
  /** Waiting for the learner to save a handler (or press `r`). */
  | { kind: 'idle' }
  /** A handler was saved: waiting for the function to run the new code. */
  | { kind: 'deploying'; file: string }
  | { kind: 'checking' }
  /** The new code did not go live in time: say so, and wait for the next save. */
  | { kind: 'stuck'; problem: string };

export interface WatchState {
  modules: readonly WorkshopModule[];
  /** Index in `modules` of the module being worked on. */
  current: number;
  /** Module keys whose latest check passed. */
  passed: ReadonlySet<string>;
  phase: Phase;
  /** The lines of the latest check of the current module, and whether it passed. */
  result?: { passed: boolean; lines: string[]; liveSeconds?: number };
  /** How many of the module's hints are shown (`h` shows one more). */
  hintsShown: number;
  /** Set once `q` is pressed. */
  quitting: boolean;
  /** How long the latest save took to go live, shown with the check that followed it. */
  liveSeconds?: number;
  /** A save made while busy: its code is waited for once the check in hand is done. */
  pendingSave?: string;
}

export type WatchEvent =
  | { kind: 'saved'; file: string }
  | { kind: 'live'; seconds: number }
  | { kind: 'not-live'; problem: string }
  | { kind: 'checked'; passed: boolean; lines: string[] }
  | { kind: 'key'; key: string };

/** What the shell must do next. */
export type Effect =
  | { kind: 'await-live'; module: WorkshopModule; file: string }
  | { kind: 'run-check'; module: WorkshopModule }
  | { kind: 'watch-module'; module: WorkshopModule }
  | { kind: 'quit' };

/**
 * The module to work on: the first whose latest check did not pass (the one `npm run status`
 * names next), or the last when all are done.
 */
export function currentModule(modules: readonly WorkshopModule[], passed: ReadonlySet<string>): number {
  const next = modules.findIndex((m) => !passed.has(m.key));
  return next === -1 ? modules.length - 1 : next;
}

export function initialState(modules: readonly WorkshopModule[], passed: ReadonlySet<string>): WatchState {
  return {
    modules,
    current: currentModule(modules, passed),
    passed,
    phase: { kind: 'idle' },
    hintsShown: 0,
    quitting: false,
  };
}

/** The function a handler file deploys as: `persist.ts` → `wildrydes-persist` (`ada-wildrydes-persist`). */
export const functionOf = (handlerFile: string, names: WorkshopNames = namesFor()): string =>
  names.prefixed(`wildrydes-${handlerFile.replace(/^.*\//, '').replace(/\.ts$/, '')}`);

/** The module's handler file a saved path is, if any (`…/starter/persist.ts` → `persist.ts`). */
export function savedHandler(module: WorkshopModule, path: string): string | undefined {
  const normal = path.replace(/\\/g, '/');
  return module.handlers.find((h) => normal.endsWith(`${module.folder}/starter/${h}`));
}

/** The effects at start: watch the module's files, and check it at once (the state it is in). */
export function start(state: WatchState): Effect[] {
  const module = state.modules[state.current];
  return module
    ? [
        { kind: 'watch-module', module },
        { kind: 'run-check', module },
      ]
    : [];
}

/** One step of the machine: the next state and what to do. */
export function step(state: WatchState, event: WatchEvent): { state: WatchState; effects: Effect[] } {
  const module = state.modules[state.current];
  if (!module || state.quitting) return { state, effects: [] };
  switch (event.kind) {
    case 'saved': {
      // A save while busy is taken up once the check in hand is done: that check may see old code.
      if (state.phase.kind === 'checking' || state.phase.kind === 'deploying') {
        return { state: { ...state, pendingSave: event.file }, effects: [] };
      }
      return {
        state: { ...state, phase: { kind: 'deploying', file: event.file }, liveSeconds: undefined },
        effects: [{ kind: 'await-live', module, file: event.file }],
      };
    }
    case 'live':
      return {
        state: { ...state, phase: { kind: 'checking' }, liveSeconds: event.seconds },
        effects: [{ kind: 'run-check', module }],
      };
    case 'not-live':
      if (state.pendingSave) {
        return {
          state: { ...state, phase: { kind: 'deploying', file: state.pendingSave }, pendingSave: undefined },
          effects: [{ kind: 'await-live', module, file: state.pendingSave }],
        };
      }
      return { state: { ...state, phase: { kind: 'stuck', problem: event.problem } }, effects: [] };
    case 'checked': {
      const passed = new Set(state.passed);
      if (event.passed) passed.add(module.key);
      else passed.delete(module.key);
      const result = { passed: event.passed, lines: event.lines, liveSeconds: state.liveSeconds };
      const settled = { ...state, passed, result, liveSeconds: undefined, pendingSave: undefined };
      if (state.pendingSave) {
        return {
          state: { ...settled, phase: { kind: 'deploying', file: state.pendingSave } },
          effects: [{ kind: 'await-live', module, file: state.pendingSave }],
        };
      }
      return { state: { ...settled, phase: { kind: 'idle' } }, effects: [] };
    }
    case 'key':
      return onKey(state, module, event.key);
  }
}

function onKey(
  state: WatchState,
  module: WorkshopModule,
  key: string,
): { state: WatchState; effects: Effect[] } {
  const busy = state.phase.kind === 'checking' || state.phase.kind === 'deploying';
  switch (key) {
    case 'q':
    case '\u0003': // Ctrl-C in raw mode
      return { state: { ...state, quitting: true }, effects: [{ kind: 'quit' }] };
    case 'h':
      return {
        state: { ...state, hintsShown: Math.min(state.hintsShown + 1, module.hints.length) },
        effects: [],
      };
    case 'r':
      return busy
        ? { state, effects: [] }
        : { state: { ...state, phase: { kind: 'checking' } }, effects: [{ kind: 'run-check', module }] };
    case 'n': {
      const next = state.modules[state.current + 1];
      if (busy || !state.passed.has(module.key) || !next) return { state, effects: [] };
      return {
        state: {
          ...state,
          current: state.current + 1,
          phase: { kind: 'checking' },
          result: undefined,
          hintsShown: 0,
        },
        effects: [
          { kind: 'watch-module', module: next },
          { kind: 'run-check', module: next },
        ],
      };
    }
    default:
      return { state, effects: [] };
  }
}

const BAR_WIDTH = 30;

/** `Progress: [██████░░░░] 3/5 modules`, as `npm run status` draws it. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `Progress: [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} modules`;
}

/** The whole screen, top to bottom, for the current state. */
export function render(state: WatchState): string[] {
  const module = state.modules[state.current];
  if (!module) return ['No modules.'];
  const lines: string[] = [];
  const done = state.modules.filter((m) => state.passed.has(m.key)).length;
  lines.push(progressBar(done, state.modules.length));
  lines.push(`Module ${module.id} — ${module.title}   (${module.folder}/README.md)`);
  lines.push('');
  const phase = state.phase;
  if (phase.kind === 'deploying') lines.push(`Saved ${phase.file}: waiting for the new code to go live…`);
  else if (phase.kind === 'checking') lines.push('Checking with fresh data (--drive)…');
  else if (phase.kind === 'stuck') lines.push(`✖ ${phase.problem}`);
  else if (!state.result) lines.push('Waiting for a save…');
  if (state.result) {
    if (phase.kind !== 'idle') lines.push('');
    if (state.result.liveSeconds !== undefined && phase.kind === 'idle')
      lines.push(`New code live in ${state.result.liveSeconds.toFixed(1)} s.`);
    lines.push(...state.result.lines);
    lines.push('');
    const next = state.modules[state.current + 1];
    if (phase.kind === 'checking' || phase.kind === 'deploying') {
      // The verdict waits for the check in hand.
    } else if (state.result.passed) {
      lines.push(
        next ? `✔ Green. Press n for module ${next.id} — ${next.title}.` : '✔ Green: all modules done!',
      );
    } else {
      lines.push(
        `Edit ${module.handlers.map((h) => `${module.folder}/starter/${h}`).join(' or ') || 'the module'} and save: the check runs again.`,
      );
    }
  }
  for (const hint of module.hints.slice(0, state.hintsShown)) lines.push('', `hint: ${hint}`);
  lines.push('');
  const keys = [
    'h hint',
    'r re-check',
    ...(state.result?.passed && state.modules[state.current + 1] ? ['n next module'] : []),
    'q quit',
  ];
  lines.push(keys.join(' · '));
  return lines;
}
