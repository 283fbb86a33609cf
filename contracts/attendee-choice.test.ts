import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTENDEE_ENV, chooseAttendee, rememberedAttendee } from '../core/attendee.ts';
import { resolveAttendee } from './attendee-choice.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'wildrydes-attendee-'));

describe('chooseAttendee', () => {
  it('takes --attendee first, then WILDRYDES_ATTENDEE, then the remembered one', () => {
    // Act & Assess
    expect(chooseAttendee({ flag: 'ada', env: 'bob', remembered: 'cy' })).toEqual({
      attendee: 'ada',
      source: '--attendee',
    });
    expect(chooseAttendee({ env: 'bob', remembered: 'cy' })).toEqual({
      attendee: 'bob',
      source: ATTENDEE_ENV,
    });
    expect(chooseAttendee({ remembered: 'cy' })).toEqual({ attendee: 'cy', source: 'remembered' });
    expect(chooseAttendee({})).toEqual({ attendee: undefined, source: 'none' });
  });

  it("reads an empty --attendee '' as no attendee, over the remembered one", () => {
    // Act & Assess
    expect(chooseAttendee({ flag: '', remembered: 'cy' })).toEqual({
      attendee: undefined,
      source: '--attendee',
    });
    expect(chooseAttendee({ env: ' ', remembered: 'cy' })).toEqual({
      attendee: undefined,
      source: ATTENDEE_ENV,
    });
  });
});

describe('resolveAttendee', () => {
  it('remembers the attendee given once, and the next command finds it without the flag', () => {
    // Prepare
    const dir = freshDir();
    const first: NodeJS.ProcessEnv = {};
    const next: NodeJS.ProcessEnv = {};

    // Act
    const given = resolveAttendee('ada', first, dir);
    const later = resolveAttendee(undefined, next, dir);

    // Assess
    expect(given.note).toMatch(/^attendee ada: your stacks and resources are named ada-…/);
    expect(readFileSync(join(dir, 'attendee'), 'utf8')).toBe('ada\n');
    expect(later).toMatchObject({ attendee: 'ada', source: 'remembered', note: undefined });
    expect(later.names.rawStream).toBe('ada-wildrydes');
    expect(next[ATTENDEE_ENV]).toBe('ada');
  });

  it("forgets it with --attendee '', back to the workshop's own names", () => {
    // Prepare
    const dir = freshDir();
    resolveAttendee('ada', {}, dir);
    const env: NodeJS.ProcessEnv = {};

    // Act
    const cleared = resolveAttendee('', env, dir);

    // Assess
    expect(cleared.attendee).toBeUndefined();
    expect(cleared.names.rawStream).toBe('wildrydes');
    expect(rememberedAttendee(dir)).toBeUndefined();
    expect(env[ATTENDEE_ENV]).toBe('');
  });

  it('says nothing and writes nothing when no attendee is given or remembered', () => {
    // Prepare
    const dir = freshDir();

    // Act
    const choice = resolveAttendee(undefined, {}, dir);

    // Assess
    expect(choice).toMatchObject({ attendee: undefined, source: 'none', note: undefined });
    expect(rememberedAttendee(dir)).toBeUndefined();
  });

  it('refuses a bad name in one line naming where it came from, and remembers nothing', () => {
    // Prepare
    const dir = freshDir();

    // Act & Assess
    expect(() => resolveAttendee('Ada Lovelace', {}, dir)).toThrow(
      /^--attendee "Ada Lovelace" cannot prefix AWS names: use lowercase letters/,
    );
    expect(() => resolveAttendee(undefined, { [ATTENDEE_ENV]: 'a'.repeat(13) }, dir)).toThrow(
      /^WILDRYDES_ATTENDEE "a{13}" cannot prefix AWS names: at most 12 characters/,
    );
    expect(rememberedAttendee(dir)).toBeUndefined();
  });
});
