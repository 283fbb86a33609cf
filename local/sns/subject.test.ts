import { describe, expect, it } from 'vitest';
import { subjectProblem, subjectsOf } from './subject.ts';

describe('an SNS subject', () => {
  it('may be any UTF-8 text under 100 characters', () => {
    expect(subjectProblem('ALARM: "wildrydes-dlq" in US East — état ✔')).toBeUndefined();
    expect(subjectProblem('x'.repeat(99))).toBeUndefined();
  });

  it('may not hold line breaks, escape codes or other control characters', () => {
    for (const bad of ['a\nb', 'a\r\nBcc: x', '\u001b[31mred', 'tab\there', 'nul\u0000', 'a\u2028b']) {
      expect(subjectProblem(bad)).toBe('line breaks or control characters');
    }
  });

  it('may not be 100 characters long or more', () => {
    expect(subjectProblem('x'.repeat(100))).toBe('100 characters or more');
  });

  it('is read from Publish and from every PublishBatch entry', () => {
    expect(subjectsOf(new URLSearchParams('Action=Publish&Subject=hi&Message=m'))).toEqual(['hi']);
    expect(subjectsOf(new URLSearchParams('Action=Publish&Message=m'))).toEqual([]);
    const batch = new URLSearchParams(
      'Action=PublishBatch&PublishBatchRequestEntries.member.1.Message=a' +
        '&PublishBatchRequestEntries.member.2.Subject=two&PublishBatchRequestEntries.member.2.Message=b',
    );
    expect(subjectsOf(batch)).toEqual(['two']);
  });
});
