import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/curriculum.ts';
import { analyzeSentiment, evidenceOf, scoresOf } from './model.ts';

const sample = (name: string) =>
  readFileSync(join(repoRoot, 'modules/01-file-processing/samples', name), 'utf8');

describe('the local sentiment model', () => {
  it.each([
    ['interview-positive.md', 'POSITIVE'],
    ['interview-negative.md', 'NEGATIVE'],
    ['interview-mixed.md', 'MIXED'],
    ['interview-neutral.md', 'NEUTRAL'],
    ['interview-long.md', 'POSITIVE'],
  ])('labels the sample %s %s', (file, label) => {
    // Act
    const result = analyzeSentiment(sample(file));

    // Assess
    expect(result.Sentiment).toBe(label);
  });

  it.each([
    ['I love it, the ride was great', 'POSITIVE'],
    ['The ride was terrible and the unicorn was rude', 'NEGATIVE'],
    ['The ride was not good', 'NEGATIVE'],
    ['The driver was never late and never rude', 'POSITIVE'],
    ['Great view, awful landing', 'MIXED'],
    ['The unicorn landed at 8:41 near the river', 'NEUTRAL'],
    ['', 'NEUTRAL'],
  ])('labels "%s" %s', (text, label) => {
    // Assess
    expect(analyzeSentiment(text).Sentiment).toBe(label);
  });

  it('makes intensified words count more', () => {
    // Assess
    expect(evidenceOf('very good').positive).toBeGreaterThan(evidenceOf('good').positive);
  });

  it.each([
    { positive: 0, negative: 0, words: 10 },
    { positive: 12, negative: 0, words: 40 },
    { positive: 3, negative: 3, words: 5 },
    { positive: 0.5, negative: 9, words: 300 },
  ])('returns four scores in 0…1 that add up to 1 for %o', (evidence) => {
    // Act
    const score = scoresOf(evidence);

    // Assess
    const values = Object.values(score);
    for (const value of values) expect(value).toBeGreaterThanOrEqual(0);
    for (const value of values) expect(value).toBeLessThanOrEqual(1);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
