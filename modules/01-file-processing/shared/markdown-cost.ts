/**
 * A cap on what a note may cost the Markdown parser. Emphasis makes parsers quadratic: `marked`
 * needs 25 s for 200 KB of `_a_a_a…` and minutes for 1 MiB, and a function that times out on a
 * note fails its whole batch, five times over, before the note reaches the dead-letter queue.
 * Measured once, in linear time, before parsing: such a note fails alone, at once.
 */

/** The note would keep the parser busy for seconds or minutes; retrying will not help. */
export class PathologicalMarkdownError extends Error {
  constructor(readonly delimiters: number) {
    super(
      `a paragraph of the note has ${delimiters.toLocaleString('en-US')} _, * or ~ characters: Markdown's emphasis rules would keep the parser busy for minutes. Break it up with blank lines or remove the runs of _ and *, then upload it again`,
    );
    this.name = 'PathologicalMarkdownError';
  }
}

/**
 * The parser's work grows with the square of a paragraph's emphasis delimiters (`_`, `*`, `~`):
 * 2,000 in one paragraph take marked about 50 ms. Summed over the paragraphs, 40 million keeps a
 * note under half a second; ordinary notes stay below a million.
 */
export const MAX_MARKDOWN_COST = 40_000_000;

/** The emphasis delimiters of each paragraph (text between blank lines), in order. */
export function delimitersPerParagraph(text: string): number[] {
  const counts: number[] = [];
  let count = 0;
  let lineHasText = false;
  let blankRun = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      // A line with nothing but spaces ends the paragraph.
      if (!lineHasText && !blankRun && count > 0) {
        counts.push(count);
        count = 0;
      }
      blankRun = !lineHasText;
      lineHasText = false;
    } else if (c === 95 || c === 42 || c === 126) {
      count++;
      lineHasText = true;
    } else if (c !== 32 && c !== 9 && c !== 13) {
      lineHasText = true;
    }
  }
  if (count > 0) counts.push(count);
  return counts;
}

/**
 * Refuses a note that would keep the parser busy for long.
 * @throws PathologicalMarkdownError naming the worst paragraph's delimiters.
 */
export function assertConvertible(text: string, maxCost = MAX_MARKDOWN_COST): void {
  const counts = delimitersPerParagraph(text);
  const cost = counts.reduce((sum, d) => sum + d * d, 0);
  if (cost > maxCost) throw new PathologicalMarkdownError(Math.max(...counts));
}
