import { describe, expect, it } from 'vitest';
import {
  bearerCode,
  codeMatches,
  generateRoomCode,
  MAX_STEP_LENGTH,
  parseJoin,
  parseName,
  parseReport,
  parseRoomCode,
} from './protocol.ts';

const KEYS = ['module1', 'module2', 'module3', 'module4', 'extra'];
const ID = 'e327bb56-2841-4db1-9abd-d2a9955a57a4';
const report = (extra: Record<string, unknown> = {}) => ({
  attendee: ID,
  name: 'Ada',
  command: 'check',
  module: 'module2',
  passed: false,
  failedStep: 'the stream wildrydes exists',
  progress: {
    module1: { passed: true },
    module2: { passed: false, failedStep: 'the stream wildrydes exists' },
  },
  caughtUp: [],
  ...extra,
});

describe('room codes', () => {
  it('generates codes of three groups from an alphabet without look-alikes, each one new', () => {
    // Act
    const codes = Array.from({ length: 50 }, generateRoomCode);

    // Assess
    for (const code of codes)
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['K7QM-2XPD-9TRA', 'K7QM-2XPD-9TRA', true],
    ['k7qm 2xpd-9tra', 'K7QM-2XPD-9TRA', true],
    ['K7QM2XPD9TRA', 'K7QM-2XPD-9TRA', true],
    ['K7QM-2XPD-9TRB', 'K7QM-2XPD-9TRA', false],
    ['K7QM-2XPD', 'K7QM-2XPD-9TRA', false],
    ['', 'K7QM-2XPD-9TRA', false],
  ])('%s matches the room code %s: %s', (given, code, expected) => {
    expect(codeMatches(given, code)).toBe(expected);
  });

  it.each(['short', 'has spaces but !', 'x'.repeat(65), ''])('refuses %j as a chosen code', (code) => {
    expect(parseRoomCode(code)).toMatchObject({ ok: false, error: expect.stringContaining('8 to 64') });
  });

  it.each([
    ['Bearer K7QM-2XPD-9TRA', 'K7QM-2XPD-9TRA'],
    ['bearer   abc', 'abc'],
    ['Basic abc', undefined],
    [undefined, undefined],
    ['Bearer ', undefined],
  ])('reads the code of the header %j', (header, code) => {
    expect(bearerCode(header)).toBe(code);
  });
});

describe('names', () => {
  it.each([
    ['  Ada  ', 'Ada'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['Zoë 🦄', 'Zoë 🦄'],
  ])('takes %j as %j', (name, expected) => {
    expect(parseName(name)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [undefined, 'required'],
    ['   ', 'required'],
    [42, 'required'],
    ['a'.repeat(41), 'at most 40'],
    ['Ada\nLovelace', 'control characters'],
    ['Ada\u2028Lovelace', 'control characters'],
  ])('refuses %j (%s)', (name, why) => {
    expect(parseName(name)).toMatchObject({ ok: false, error: expect.stringContaining(why) });
  });
});

describe('join bodies', () => {
  it('takes a name and an optional id from an earlier join', () => {
    expect(parseJoin({ name: 'Ada', attendee: ID })).toEqual({
      ok: true,
      value: { name: 'Ada', attendee: ID },
    });
  });

  it.each([[null], [[]], ['Ada'], [{ name: 'Ada', attendee: 'x' }], [{ name: 'Ada', attendee: 7 }]])(
    'refuses %j',
    (body) => {
      expect(parseJoin(body).ok).toBe(false);
    },
  );
});

describe('reports', () => {
  it('keeps a failed check with its first failing step', () => {
    // Act
    const parsed = parseReport(report(), KEYS);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      value: {
        attendee: ID,
        name: 'Ada',
        command: 'check',
        module: 'module2',
        passed: false,
        failedStep: 'the stream wildrydes exists',
        progress: {
          module1: { passed: true },
          module2: { passed: false, failedStep: 'the stream wildrydes exists' },
        },
        caughtUp: [],
      },
    });
  });

  it.each([
    ['an unknown command', { command: 'rm' }, 'command must be'],
    ['an unknown module', { module: 'module9' }, 'module must be'],
    ['a check without its result', { passed: undefined }, 'names its module and whether it passed'],
    ['a check without its module', { module: undefined }, 'names its module'],
    ['passed as text', { command: 'catchup', passed: 'yes' }, 'true or false'],
    ['no attendee id', { attendee: undefined }, 'npm run join'],
    ['a name too long', { name: 'n'.repeat(41) }, 'at most 40'],
    ['progress as a list', { progress: [] }, 'progress must be'],
  ])('refuses %s', (_, change, error) => {
    expect(parseReport(report(change), KEYS)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });

  it('drops results of modules the board does not know, bad caught-up ids, and a passed check’s step', () => {
    // Act
    const parsed = parseReport(
      report({
        passed: true,
        progress: {
          module9: { passed: true },
          module1: { passed: 'yes' },
          extra: { passed: true, failedStep: 'x' },
        },
        caughtUp: [3, 1, 3, 0, 6, 2.5, '2'],
      }),
      KEYS,
    );

    // Assess
    expect(parsed).toMatchObject({
      ok: true,
      value: { progress: { extra: { passed: true } }, caughtUp: [1, 3] },
    });
    expect(parsed.ok && parsed.value.failedStep).toBeUndefined();
  });

  it('cuts a long step title and turns control characters into spaces', () => {
    // Act
    const parsed = parseReport(report({ failedStep: `a\nb${'x'.repeat(500)}` }), KEYS);

    // Assess
    const step = parsed.ok ? (parsed.value.failedStep ?? '') : '';
    expect(step.startsWith('a b')).toBe(true);
    expect(step).toHaveLength(MAX_STEP_LENGTH);
  });
});
