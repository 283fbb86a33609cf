import { describe, expect, it } from 'vitest';
import { changedProperties, deepEqual, diffResource, removedResources } from './diff.ts';

describe('deepEqual', () => {
  it.each([
    [1, 1, true],
    ['1', 1, false],
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [[1, 2], [2, 1], false],
    [{ a: [] }, { a: {} }, false],
    [null, {}, false],
  ])('%j vs %j → %s', (a, b, expected) => {
    // Act / Assess
    expect(deepEqual(a, b)).toBe(expected);
  });
});

describe('changedProperties', () => {
  it('lists added, removed and changed keys, sorted', () => {
    // Act
    const changed = changedProperties({ A: 1, B: { x: 1 }, C: 3 }, { A: 1, B: { x: 2 }, D: 4 });
    // Assess
    expect(changed).toEqual(['B', 'C', 'D']);
  });
});

describe('diffResource', () => {
  const queue = (props: Record<string, unknown>, type = 'AWS::SQS::Queue') => ({ type, properties: props });
  it.each([
    ['new', undefined, queue({}), ['QueueName'], false, { action: 'create' }],
    [
      'same',
      queue({ VisibilityTimeout: 30 }),
      queue({ VisibilityTimeout: 30 }),
      ['QueueName'],
      false,
      { action: 'unchanged' },
    ],
    [
      'an updatable property',
      queue({ VisibilityTimeout: 30 }),
      queue({ VisibilityTimeout: 60 }),
      ['QueueName'],
      false,
      { action: 'update', changed: ['VisibilityTimeout'] },
    ],
    [
      'a replacing property',
      queue({ QueueName: 'a' }),
      queue({ QueueName: 'b' }),
      ['QueueName'],
      false,
      { action: 'replace', changed: ['QueueName'] },
    ],
    [
      'any change with *',
      queue({ A: 1 }),
      queue({ A: 2 }),
      '*',
      false,
      { action: 'replace', changed: ['A'] },
    ],
    [
      'another type',
      queue({}),
      queue({}, 'AWS::SNS::Topic'),
      [],
      false,
      { action: 'replace', changed: ['Type'] },
    ],
    [
      'forced after a dependency was replaced',
      queue({ A: 1 }),
      queue({ A: 1 }),
      [],
      true,
      { action: 'update', changed: [] },
    ],
  ] as const)('%s', (_name, before, after, replaceOn, force, expected) => {
    // Act / Assess
    expect(diffResource(before, after, replaceOn, force)).toEqual(expected);
  });

  it('lists removed resources', () => {
    // Act / Assess
    expect(removedResources(['A', 'B', 'C'], new Set(['A', 'C', 'D']))).toEqual(['B']);
  });
});
