/**
 * A starter is its solution with the logic cut out: outside its TODO regions, the two files are
 * the same line for line. This module finds where they differ, with the imports set apart (a
 * starter sits one folder deeper and imports less, since it does less).
 */
import { dirname, resolve } from 'node:path';

/** A run of lines [start, end) of the starter that the attendee is meant to rewrite. */
export interface Region {
  start: number;
  end: number;
}

/** Where a starter and its solution differ outside the TODO regions. */
export interface Drift {
  /** 1-based line of the starter at which the drift starts. */
  line: number;
  starter: string[];
  solution: string[];
}

const DECLARATION = /^(export\s+)?(async\s+)?(function|const|let|class|interface|type)\b/;
const COMMENT = /^(\/\*\*|\s\*|\/\/)/;
const CLOSING = /^[}\]][);,]*\s*$/;

/**
 * The TODO regions of a file: each top-level declaration with a `// TODO` in it, from its doc
 * comment to its closing line. The attendee rewrites these whole, signature included (a starter
 * names an unused parameter `_x`), and may add helpers right above them, as a solution does.
 */
export function todoRegions(lines: readonly string[]): Region[] {
  const regions: Region[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!(lines[i] ?? '').trimStart().startsWith('// TODO')) continue;
    let start = i;
    while (start > 0 && !DECLARATION.test(lines[start] ?? '')) start--;
    while (start > 0 && COMMENT.test(lines[start - 1] ?? '')) start--;
    let end = i + 1;
    while (end < lines.length && !CLOSING.test(lines[end] ?? '')) end++;
    end = Math.min(end + 1, lines.length);
    const last = regions.at(-1);
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else regions.push({ start, end });
    i = end - 1;
  }
  return regions;
}

const IMPORT = /^import\s[\s\S]*?from\s+'([^']+)';\n/gm;

/** A file's import statements apart from the rest: each `(module, name)` it imports, resolved. */
export function splitImports(text: string, file: string): { body: string; imported: string[] } {
  const imported: string[] = [];
  const body = text.replace(IMPORT, (statement, specifier: string) => {
    const module = specifier.startsWith('.') ? resolve(dirname(file), specifier) : specifier;
    const names =
      /\{([\s\S]*)\}/.exec(statement)?.[1] ?? statement.replace(/^import\s+|\s+from[\s\S]*$/g, '');
    for (const name of names.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()))
      if (name) imported.push(`${module}#${name}`);
    return '';
  });
  return { body, imported };
}

/** The edit script between two line lists: runs of lines that differ, by longest common subsequence. */
function hunks(a: readonly string[], b: readonly string[]): { at: number; a: string[]; b: string[] }[] {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const out: { at: number; a: string[]; b: string[] }[] = [];
  let i = 0;
  let j = 0;
  let open: { at: number; a: string[]; b: string[] } | undefined;
  const close = () => {
    if (open) out.push(open);
    open = undefined;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { at: i, a: [], b: [] };
    const down = i < a.length ? ((lcs[i + 1] as number[])[j] as number) : -1;
    const right = j < b.length ? ((lcs[i] as number[])[j + 1] as number) : -1;
    if (down >= right) open.a.push(a[i++] ?? '');
    else open.b.push(b[j++] ?? '');
  }
  close();
  return out;
}

/**
 * Every difference between a starter and its solution that is not inside one of the starter's
 * TODO regions; an insertion counts as inside when it lands within, right before or right after one.
 */
export function driftOutsideTodos(starter: string, solution: string): Drift[] {
  const a = starter.split('\n');
  const b = solution.split('\n');
  const regions = todoRegions(a);
  const inside = (h: { at: number; a: string[] }) =>
    regions.some((r) => h.at >= r.start && h.at + h.a.length <= r.end);
  return hunks(a, b)
    .filter((h) => !inside(h))
    .map((h) => ({ line: h.at + 1, starter: h.a, solution: h.b }));
}
