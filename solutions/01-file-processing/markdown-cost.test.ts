import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/curriculum.ts';
import {
  assertConvertible,
  delimitersPerParagraph,
  PathologicalMarkdownError,
} from '../../modules/01-file-processing/shared/markdown-cost.ts';
import { toSafeHtml } from './conversion.ts';

describe('markdownCost', () => {
  it('counts the emphasis delimiters of each paragraph', () => {
    // Act & Assess
    expect(delimitersPerParagraph('a *b* _c_\nd ~~e~~\n\n  \n**f**\n \t\ng')).toEqual([8, 4]);
  });

  it("refuses the red team's note (200 KB of _a) at once, naming the fix", () => {
    // Act & Assess
    expect(() => assertConvertible('_a'.repeat(204_800))).toThrow(PathologicalMarkdownError);
    expect(() => assertConvertible('_a'.repeat(204_800))).toThrow(
      /204,800 _, \* or ~ characters.*blank lines/,
    );
  });

  it('refuses the same runs spread over many paragraphs', () => {
    // Prepare: 200 paragraphs of 4,000 delimiters (marked needs about 10 s for them)
    const spread = Array.from({ length: 200 }, () => '_a'.repeat(2_000)).join('\n\n');

    // Act & Assess
    expect(() => assertConvertible(spread)).toThrow(PathologicalMarkdownError);
  });

  it('lets through every sample, and a 1 MiB note of ordinary emphasis', () => {
    // Prepare
    const ordinary = 'A **great** ride on _Shadowfax_, ~~slow~~ fast.\n\n'.repeat(20_000);

    const samples = join(repoRoot, 'modules', '01-file-processing', 'samples');

    // Act & Assess
    for (const file of readdirSync(samples)) {
      expect(() => assertConvertible(readFileSync(join(samples, file), 'utf8'))).not.toThrow();
    }
    expect(() => assertConvertible(ordinary)).not.toThrow();
    expect(toSafeHtml(ordinary.slice(0, 2_000))).toContain('<strong>great</strong>');
  });
});
