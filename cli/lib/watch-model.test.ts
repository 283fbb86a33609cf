import { describe, expect, it } from 'vitest';
import { namesFor } from '../../contracts/attendee.ts';
import type { WorkshopModule } from '../../core/curriculum.ts';
import {
  currentModule,
  functionOf,
  initialState,
  progressBar,
  render,
  savedHandler,
  start,
  step,
  type WatchEvent,
  type WatchState,
} from './watch-model.ts';

const mod = (id: number, key: string, handlers: string[]): WorkshopModule => ({
  id,
  key,
  title: `Title ${id}`,
  folder: `modules/0${id}-x`,
  solutions: `solutions/0${id}-x`,
  stack: `Stack${id}`,
  handlers,
  check: `check:${key}`,
  hints: [`first hint of ${key}`, `second hint of ${key}`],
});
const MODULES = [
  mod(1, 'module1', ['conversion.ts']),
  mod(2, 'module2', []),
  mod(3, 'module3', ['aggregate.ts']),
];

/** Feeds events in order; the last state and every effect asked for. */
function run(state: WatchState, events: WatchEvent[]) {
  const effects = [];
  for (const event of events) {
    const next = step(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

describe('currentModule', () => {
  it('is the first module whose check has not passed, as npm run status says', () => {
    expect(currentModule(MODULES, new Set(['module1']))).toBe(1);
    expect(currentModule(MODULES, new Set(['module2']))).toBe(0);
  });

  it('is the last module when all have passed', () => {
    expect(currentModule(MODULES, new Set(['module1', 'module2', 'module3']))).toBe(2);
  });
});

describe('functionOf and savedHandler', () => {
  it("name the function a handler deploys as, and recognise a save of the module's starter", () => {
    expect(functionOf('persist.ts')).toBe('wildrydes-persist');
    expect(functionOf('persist.ts', namesFor('ada'))).toBe('ada-wildrydes-persist');
    expect(savedHandler(MODULES[2] as WorkshopModule, 'modules/03-x/starter/aggregate.ts')).toBe(
      'aggregate.ts',
    );
    expect(savedHandler(MODULES[2] as WorkshopModule, 'modules/03-x/stack.ts')).toBeUndefined();
  });
});

describe('the watch loop', () => {
  const fresh = () => initialState(MODULES, new Set());

  it('starts by watching the current module and checking it', () => {
    expect(start(fresh()).map((e) => e.kind)).toEqual(['watch-module', 'run-check']);
  });

  it('goes save → wait for the new code → check → result', () => {
    // Act
    const saved = run(fresh(), [{ kind: 'saved', file: 'modules/01-x/starter/conversion.ts' }]);
    const live = run(saved.state, [{ kind: 'live', seconds: 0.4 }]);
    const done = run(live.state, [{ kind: 'checked', passed: true, lines: ['✔ a step'] }]);

    // Assess
    expect(saved.effects).toEqual([
      { kind: 'await-live', module: MODULES[0], file: 'modules/01-x/starter/conversion.ts' },
    ]);
    expect(live.effects).toEqual([{ kind: 'run-check', module: MODULES[0] }]);
    expect(done.state.phase.kind).toBe('idle');
    expect(done.state.result).toEqual({ passed: true, lines: ['✔ a step'], liveSeconds: 0.4 });
    expect(done.state.passed.has('module1')).toBe(true);
  });

  it('takes a save made during a check up once that check is done', () => {
    // Act
    const { state, effects } = run(fresh(), [
      { kind: 'key', key: 'r' },
      { kind: 'saved', file: 'a.ts' },
      { kind: 'checked', passed: false, lines: [] },
    ]);

    // Assess
    expect(effects.map((e) => e.kind)).toEqual(['run-check', 'await-live']);
    expect(state.phase).toEqual({ kind: 'deploying', file: 'a.ts' });
  });

  it('says so when the new code does not go live, and waits for the next save', () => {
    // Act
    const { state, effects } = run(fresh(), [
      { kind: 'saved', file: 'a.ts' },
      { kind: 'not-live', problem: 'still old code' },
    ]);

    // Assess
    expect(effects.map((e) => e.kind)).toEqual(['await-live']);
    expect(state.phase).toEqual({ kind: 'stuck', problem: 'still old code' });
    expect(render(state).join('\n')).toContain('✖ still old code');
  });

  it('a failing check marks the module as not passed', () => {
    const { state } = run(initialState(MODULES, new Set()), [
      { kind: 'checked', passed: true, lines: [] },
      { kind: 'checked', passed: false, lines: [] },
    ]);
    expect(state.passed.has('module1')).toBe(false);
  });
});

describe('keys', () => {
  it('h shows one more hint each time, up to the last', () => {
    // Act
    const { state } = run(initialState(MODULES, new Set()), [
      { kind: 'key', key: 'h' },
      { kind: 'key', key: 'h' },
      { kind: 'key', key: 'h' },
    ]);

    // Assess
    expect(state.hintsShown).toBe(2);
    const screen = render(state).join('\n');
    expect(screen).toContain('hint: first hint of module1');
    expect(screen).toContain('hint: second hint of module1');
  });

  it('n does nothing while the check is red', () => {
    const { state, effects } = run(initialState(MODULES, new Set()), [
      { kind: 'checked', passed: false, lines: [] },
      { kind: 'key', key: 'n' },
    ]);
    expect(state.current).toBe(0);
    expect(effects).toEqual([]);
  });

  it('n moves to the next module once green: watches and checks it, hints reset', () => {
    // Act
    const { state, effects } = run(initialState(MODULES, new Set()), [
      { kind: 'key', key: 'h' },
      { kind: 'checked', passed: true, lines: [] },
      { kind: 'key', key: 'n' },
    ]);

    // Assess
    expect(state.current).toBe(1);
    expect(state.hintsShown).toBe(0);
    expect(state.result).toBeUndefined();
    expect(effects).toEqual([
      { kind: 'watch-module', module: MODULES[1] },
      { kind: 'run-check', module: MODULES[1] },
    ]);
  });

  it('q and Ctrl-C quit, and nothing happens after', () => {
    for (const key of ['q', '\u0003']) {
      const { state, effects } = run(initialState(MODULES, new Set()), [
        { kind: 'key', key },
        { kind: 'saved', file: 'a.ts' },
      ]);
      expect(state.quitting).toBe(true);
      expect(effects).toEqual([{ kind: 'quit' }]);
    }
  });
});

describe('render', () => {
  it('draws the progress bar of the modules', () => {
    expect(progressBar(1, 4, 8)).toBe('Progress: [██░░░░░░] 1/4 modules');
    expect(render(initialState(MODULES, new Set(['module2'])))[0]).toBe(progressBar(1, 3));
  });

  it('shows the failing step and what to edit after a red check', () => {
    // Act
    const { state } = run(initialState(MODULES, new Set()), [
      { kind: 'checked', passed: false, lines: ['  ✖ Each note is converted', '    hint: use marked'] },
    ]);
    const screen = render(state).join('\n');

    // Assess
    expect(screen).toContain('✖ Each note is converted');
    expect(screen).toContain('hint: use marked');
    expect(screen).toContain('Edit modules/01-x/starter/conversion.ts and save');
    expect(screen).not.toContain('n next module');
  });

  it('offers the next module after a green check, with the time the new code took to go live', () => {
    // Act
    const { state } = run(initialState(MODULES, new Set()), [
      { kind: 'saved', file: 'a.ts' },
      { kind: 'live', seconds: 0.42 },
      { kind: 'checked', passed: true, lines: ['✔ Module 1 is done.'] },
    ]);
    const screen = render(state).join('\n');

    // Assess
    expect(screen).toContain('New code live in 0.4 s.');
    expect(screen).toContain('✔ Green. Press n for module 2 — Title 2.');
    expect(screen).toContain('n next module');
  });
});
