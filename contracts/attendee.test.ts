import { describe, expect, it } from 'vitest';
import { curriculum } from '../core/curriculum.ts';
import { attendeeProblem, MAX_ATTENDEE_LENGTH, NAME_LIMITS, namesFor, physicalNames } from './attendee.ts';
import { fileProcessingNames } from './file-processing.ts';
import { names } from './names.ts';

const stacks = curriculum.map((m) => m.stack);
const longest = `a${'b'.repeat(MAX_ATTENDEE_LENGTH - 1)}`;

describe('namesFor', () => {
  it('gives the workshop its own names without an attendee, as before', () => {
    // Act
    const plain = namesFor(undefined);
    const empty = namesFor('');

    // Assess
    for (const n of [plain, empty]) {
      expect(n.attendee).toBeUndefined();
      expect({ ...n, fileProcessing: undefined, stack: undefined, prefixed: undefined }).toEqual({
        ...names,
        attendee: undefined,
        fileProcessing: undefined,
        stack: undefined,
        prefixed: undefined,
      });
      expect(n.fileProcessing('000000000000', 'us-east-1')).toEqual(
        fileProcessingNames('000000000000', 'us-east-1'),
      );
      expect(stacks.map(n.stack)).toEqual(stacks);
    }
  });

  it('prefixes every stack and physical name with the attendee', () => {
    // Act
    const ada = namesFor('ada');
    const all = physicalNames(ada, stacks, '000000000000', 'us-east-1');

    // Assess
    expect(ada.rawStream).toBe('ada-wildrydes');
    expect(ada.table).toBe('ada-UnicornSensorData');
    expect(ada.stack('WildRydesStreaming')).toBe('ada-WildRydesStreaming');
    expect(ada.fileProcessing('000000000000', 'us-east-1').inputBucket).toBe(
      'ada-wildrydes-notes-input-000000000000-us-east-1',
    );
    expect(all.length).toBeGreaterThan(20);
    for (const [, name] of all) expect(name).toMatch(/^ada-/);
  });

  it('keeps two attendees apart: no name of one is a name of the other or of the workshop', () => {
    // Act (a queue and a function may share a name: they are of different kinds)
    const of = (n: ReturnType<typeof namesFor>) => [
      ...new Set(physicalNames(n, stacks).map(([kind, name]) => `${kind} ${name}`)),
    ];
    const [ada, bob, plain] = [of(namesFor('ada')), of(namesFor('bob')), of(namesFor())];

    // Assess
    expect(new Set([...ada, ...bob, ...plain]).size).toBe(ada.length + bob.length + plain.length);
  });

  it('refuses a name AWS cannot take, in one line', () => {
    // Act & Assess
    expect(() => namesFor('Ada')).toThrow(/^the attendee name 'Ada' does not fit AWS names: use lowercase/);
    expect(() => namesFor('Ada')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('the longest attendee name', () => {
  it('is what the tightest limit leaves: the bucket names (63), so 12 characters', () => {
    // Assess
    expect(MAX_ATTENDEE_LENGTH).toBe(12);
  });

  it('keeps every prefixed name within its AWS limit, at the longest account and region', () => {
    // Act
    const all = physicalNames(namesFor(longest), stacks);

    // Assess
    for (const [kind, name] of all)
      expect(name.length, `${kind} ${name}`).toBeLessThanOrEqual(NAME_LIMITS[kind]);
    expect(all.some(([kind, name]) => name.length === NAME_LIMITS[kind])).toBe(true);
  });

  it('is refused one character longer, saying the limit', () => {
    // Act
    const problem = attendeeProblem(`${longest}x`);

    // Assess
    expect(problem).toMatch(/^at most 12 characters/);
  });
});

describe('attendeeProblem', () => {
  it.each(['ada', 'a', 'grace-hopper', 'team-7', 'x1'])('takes %s', (name) => {
    // Act & Assess
    expect(attendeeProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'use lowercase'],
    ['Ada', 'use lowercase'],
    ['7up', 'starting with a letter'],
    ['-ada', 'use lowercase'],
    ['ada-', 'use lowercase'],
    ['ada--b', 'single hyphens'],
    ['ada_b', 'use lowercase'],
    ['ada.b', 'use lowercase'],
    ['ada b', 'use lowercase'],
    ['adä', 'use lowercase'],
    ['sthree', "start with 'sthree-'"],
    ['sthree-x', "start with 'sthree-'"],
    ['amzn-s3-demo', "start with 'amzn-s3-demo-'"],
  ])('refuses %j (%s)', (name, why) => {
    // Act & Assess
    expect(attendeeProblem(name)).toContain(why);
  });

  it('takes names that only begin like a reserved prefix', () => {
    // Act & Assess
    expect(attendeeProblem('sthreex')).toBeUndefined();
    expect(attendeeProblem('amzn-s3')).toBeUndefined();
  });
});
