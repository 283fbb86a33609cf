import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesPattern, parsePattern } from './pattern.ts';

const s3Event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  resources: ['arn:aws:s3:::notes-in'],
  detail: {
    bucket: { name: 'notes-in' },
    object: { key: 'interviews/Ana.md', size: 565 },
    reason: 'PutObject',
    tags: ['a', 'b'],
    empty: null,
  },
};

describe('matchesPattern', () => {
  it.each([
    ['exact string', { source: ['aws.s3'] }, true],
    ['exact string, other value', { source: ['aws.ec2'] }, false],
    ['any of a list', { source: ['aws.ec2', 'aws.s3'] }, true],
    ['several fields, all must match', { source: ['aws.s3'], 'detail-type': ['Object Deleted'] }, false],
    ['nested exact', { detail: { bucket: { name: ['notes-in'] } } }, true],
    ['nested exact, other bucket', { detail: { bucket: { name: ['notes-out'] } } }, false],
    ['exact number', { detail: { object: { size: [565] } } }, true],
    ['number is not a string', { detail: { object: { size: ['565'] } } }, false],
    ['null', { detail: { empty: [null] } }, true],
    ['event array: any element', { detail: { tags: ['b'] } }, true],
    ['event array: no element', { detail: { tags: ['c'] } }, false],
    ['prefix', { detail: { object: { key: [{ prefix: 'interviews/' }] } } }, true],
    ['prefix, no match', { detail: { object: { key: [{ prefix: 'drafts/' }] } } }, false],
    [
      'prefix ignoring case',
      { detail: { object: { key: [{ prefix: { 'equals-ignore-case': 'INTERVIEWS/' } }] } } },
      true,
    ],
    ['suffix', { detail: { object: { key: [{ suffix: '.md' }] } } }, true],
    ['suffix, no match', { detail: { object: { key: [{ suffix: '.txt' }] } } }, false],
    ['suffix is case-sensitive', { detail: { object: { key: [{ suffix: '.MD' }] } } }, false],
    [
      'suffix ignoring case',
      { detail: { object: { key: [{ suffix: { 'equals-ignore-case': '.MD' } }] } } },
      true,
    ],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'object created' }] }, true],
    ['anything-but a value', { detail: { reason: [{ 'anything-but': 'CopyObject' }] } }, true],
    ['anything-but that value', { detail: { reason: [{ 'anything-but': 'PutObject' }] } }, false],
    ['anything-but a list', { detail: { reason: [{ 'anything-but': ['CopyObject', 'PutObject'] }] } }, false],
    [
      'anything-but a prefix',
      { detail: { object: { key: [{ 'anything-but': { prefix: 'drafts/' } }] } } },
      true,
    ],
    [
      'anything-but a suffix',
      { detail: { object: { key: [{ 'anything-but': { suffix: '.md' } }] } } },
      false,
    ],
    ['anything-but needs the field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
    ['exists: true', { detail: { reason: [{ exists: true }] } }, true],
    ['exists: true, absent', { detail: { missing: [{ exists: true }] } }, false],
    ['exists: false, absent', { detail: { missing: [{ exists: false }] } }, true],
    ['exists: false, absent parent', { detail: { nothing: { here: [{ exists: false }] } } }, true],
    ['exists: false, present', { detail: { reason: [{ exists: false }] } }, false],
    ['exists: true, but an object', { detail: { bucket: [{ exists: true }] } }, false],
    ['numeric range', { detail: { object: { size: [{ numeric: ['>', 0, '<=', 1024] }] } } }, true],
    ['numeric range, outside', { detail: { object: { size: [{ numeric: ['>', 1024] }] } } }, false],
    ['numeric equals', { detail: { object: { size: [{ numeric: ['=', 565] }] } } }, true],
    ['numeric on a string', { detail: { reason: [{ numeric: ['>', 0] }] } }, false],
    ['wildcard', { detail: { object: { key: [{ wildcard: 'interviews/*.md' }] } } }, true],
    ['wildcard, no match', { detail: { object: { key: [{ wildcard: 'drafts/*' }] } } }, false],
    ['$or, one branch', { $or: [{ source: ['aws.ec2'] }, { detail: { reason: ['PutObject'] } }] }, true],
    ['$or, no branch', { $or: [{ source: ['aws.ec2'] }, { detail: { reason: ['CopyObject'] } }] }, false],
    ['missing field', { account: ['123'] }, false],
    ['empty pattern', {}, true],
  ])('%s', (_, pattern, expected) => {
    // Act
    const matched = matchesPattern(parsePattern(pattern), s3Event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('accepts a pattern given as a JSON string (as PutRule sends it)', () => {
    // Act
    const pattern = parsePattern(JSON.stringify({ source: ['aws.s3'] }));

    // Assess
    expect(matchesPattern(pattern, s3Event)).toBe(true);
  });
});

describe('parsePattern', () => {
  it.each([
    ['not JSON', '{source:'],
    ['not an object', '["aws.s3"]'],
    ['a bare value', { source: 'aws.s3' }],
    ['an unknown operator', { source: [{ regex: '.*' }] }],
    ['two operators in one entry', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['bad numeric', { size: [{ numeric: ['>>', 1] }] }],
    ['exists not boolean', { size: [{ exists: 'yes' }] }],
    ['$or with one branch', { $or: [{ source: ['a'] }] }],
    ['nested arrays', { source: [['a']] }],
  ])('refuses %s', (_, pattern) => {
    // Act + Assess
    expect(() => parsePattern(pattern)).toThrow(InvalidEventPatternError);
  });
});
