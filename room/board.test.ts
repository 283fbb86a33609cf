import { describe, expect, it } from 'vitest';
import { currentModule, type ModuleInfo, Room } from './board.ts';
import type { Report } from './protocol.ts';

const MODULES: ModuleInfo[] = [
  { id: 1, key: 'module1', title: 'File processing' },
  { id: 2, key: 'module2', title: 'Real-time streaming data' },
  { id: 3, key: 'module3', title: 'Stream aggregation' },
  { id: 4, key: 'module4', title: 'Stream processing' },
  { id: 5, key: 'extra', title: 'Extra credit: alerting' },
];
const MINUTE = 60_000;

/** A check report of `module` from Ada, whose progress.json then holds `progress`. */
const check = (
  attendee: string,
  module: string,
  passed: boolean,
  progress: Report['progress'],
  failedStep?: string,
): Report => ({
  attendee,
  name: `name-${attendee}`,
  command: 'check',
  module,
  passed,
  ...(failedStep ? { failedStep } : {}),
  progress,
  caughtUp: [],
});

const joined = (room: Room, name: string, now = 0): string => {
  const result = room.join(name, now);
  if ('error' in result) throw new Error(result.error);
  return result.attendee;
};

describe('which module an attendee is on', () => {
  it.each([
    ['nothing checked yet', {}, [], undefined, 'module1'],
    ['module 1 passed', { module1: { passed: true } }, [], undefined, 'module2'],
    ['caught up to 3', {}, [1, 2, 3], undefined, 'module4'],
    [
      'module 3 failed after passing 1',
      { module1: { passed: true }, module3: { passed: false } },
      [],
      'module3',
      'module3',
    ],
    ['module 4 passed, module 1 skipped', { module4: { passed: true } }, [], undefined, 'extra'],
    [
      'everything after 1 passed',
      {
        module2: { passed: true },
        module3: { passed: true },
        module4: { passed: true },
        extra: { passed: true },
      },
      [],
      undefined,
      'module1',
    ],
  ] as const)('%s: on %s', (_, progress, caughtUp, failed, expected) => {
    // Act
    const on = currentModule(MODULES, {
      progress,
      caughtUp: [...caughtUp],
      lastCheck: failed ? { module: failed, passed: false, at: 0 } : undefined,
    });

    // Assess
    expect(on?.key).toBe(expected);
  });

  it('is none when every module passed or was caught up', () => {
    const progress = { extra: { passed: true } };
    expect(currentModule(MODULES, { progress, caughtUp: [1, 2, 3, 4] })).toBeUndefined();
  });
});

describe('the room', () => {
  it('shows a failing check as stuck, with its first failing step, since its first failure', () => {
    // Prepare
    const room = new Room(MODULES, 10);
    const ada = joined(room, 'Ada');
    const failing = {
      module1: { passed: true },
      module2: { passed: false, failedStep: 'the stream exists' },
    };

    // Act: fails at minute 1, again at minute 3
    room.report(check(ada, 'module2', false, failing, 'the stream exists'), 1 * MINUTE);
    room.report(check(ada, 'module2', false, failing, 'the stream exists'), 3 * MINUTE);
    const row = room.snapshot(5 * MINUTE).attendees[0];

    // Assess: stuck since the first failure, not the latest
    expect(row).toMatchObject({
      module: 'module2',
      state: 'stuck',
      failedStep: 'the stream exists',
      stuckSince: 1 * MINUTE,
      lastCheck: { module: 'module2', passed: false, at: 3 * MINUTE },
      done: 1,
    });
  });

  it('moves a passing attendee on and forgets the stuck time; a later failure starts it again', () => {
    // Prepare
    const room = new Room(MODULES, 10);
    const ada = joined(room, 'Ada');
    room.report(
      check(ada, 'module1', false, { module1: { passed: false, failedStep: 'a' } }, 'a'),
      1 * MINUTE,
    );

    // Act
    room.report(check(ada, 'module1', true, { module1: { passed: true } }), 2 * MINUTE);
    const moved = room.snapshot(2 * MINUTE).attendees[0];
    room.report(
      check(ada, 'module1', false, { module1: { passed: false, failedStep: 'b' } }, 'b'),
      4 * MINUTE,
    );
    const again = room.snapshot(4 * MINUTE).attendees[0];

    // Assess
    expect(moved).toMatchObject({ module: 'module2', state: 'working' });
    expect(moved?.stuckSince).toBeUndefined();
    expect(again).toMatchObject({
      module: 'module1',
      state: 'stuck',
      failedStep: 'b',
      stuckSince: 4 * MINUTE,
    });
  });

  it('counts a catch-up as done: a caught-up module is not stuck', () => {
    // Prepare
    const room = new Room(MODULES, 10);
    const ada = joined(room, 'Ada');
    room.report(check(ada, 'module3', false, { module3: { passed: false, failedStep: 'x' } }, 'x'), MINUTE);

    // Act
    room.report(
      {
        ...check(ada, 'module3', false, { module3: { passed: false, failedStep: 'x' } }),
        command: 'catchup',
        passed: undefined,
        caughtUp: [1, 2, 3],
      },
      2 * MINUTE,
    );

    // Assess
    expect(room.snapshot(2 * MINUTE).attendees[0]).toMatchObject({
      module: 'module4',
      state: 'working',
      caughtUp: [1, 2, 3],
      done: 3,
      lastCommand: 'catchup',
    });
  });

  it('shows someone done with every module as done', () => {
    const room = new Room(MODULES, 10);
    const ada = joined(room, 'Ada');
    room.report(check(ada, 'extra', true, { extra: { passed: true } }), 0);
    room.report({ ...check(ada, 'extra', true, { extra: { passed: true } }), caughtUp: [1, 2, 3, 4] }, 0);
    expect(room.snapshot(0).attendees[0]).toMatchObject({ module: null, state: 'done', done: 5 });
  });

  it('lists the stuck first, the longest stuck on top, then the furthest behind', () => {
    // Prepare
    const room = new Room(MODULES, 10);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => joined(room, n)) as [string, string, string, string];
    room.report(check(b, 'module2', false, { module2: { passed: false } }), 5 * MINUTE);
    room.report(check(c, 'module3', false, { module3: { passed: false } }), 2 * MINUTE);
    room.report(check(d, 'module1', true, { module1: { passed: true } }), 0);

    // Act
    const order = room.snapshot(6 * MINUTE).attendees.map((row) => row.id);

    // Assess: c (stuck 4 min), b (stuck 1 min), a (on module 1), d (on module 2)
    expect(order).toEqual([c, b, a, d]);
  });

  it('refuses a name already taken (whatever its case), but lets its owner join again', () => {
    // Prepare
    const room = new Room(MODULES, 10);
    const ada = joined(room, 'Ada');

    // Act & Assess
    expect(room.join('ADA', 0)).toEqual({ status: 409, error: expect.stringContaining("'ADA' is taken") });
    expect(room.join('Ada', 0, ada)).toEqual({ attendee: ada });
    expect(room.size).toBe(1);
  });

  it('refuses newcomers past its size, not those already in', () => {
    // Prepare
    const room = new Room(MODULES, 2);
    const ada = joined(room, 'Ada');
    joined(room, 'Bob');

    // Act & Assess
    expect(room.join('Cy', 0)).toEqual({
      status: 429,
      error: expect.stringContaining('the room is full (2'),
    });
    expect(room.report(check('unknown-attendee-id', 'module1', true, {}), 0)).toMatchObject({ status: 429 });
    expect(room.report(check(ada, 'module1', true, { module1: { passed: true } }), 0)).toEqual({
      attendee: ada,
    });
  });

  it('takes a report from an attendee it has not seen (a board restarted with the same code)', () => {
    // Prepare
    const room = new Room(MODULES, 10);

    // Act
    const result = room.report(
      check('attendee-from-before', 'module1', true, { module1: { passed: true } }),
      0,
    );

    // Assess
    expect(result).toEqual({ attendee: 'attendee-from-before' });
    expect(room.snapshot(0).attendees[0]).toMatchObject({
      name: 'name-attendee-from-before',
      module: 'module2',
    });
  });
});
