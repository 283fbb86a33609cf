/** One line of the benchmark table. */
export interface Row {
  figure: string;
  value: string;
  /** What the issue asks for; empty when it sets no target. */
  target: string;
  /** `yes`, `no`, or empty when there is no target. */
  met: string;
}

const HEADER: Row = { figure: 'figure', value: 'value', target: 'target', met: 'met?' };
const COLUMNS = ['figure', 'value', 'target', 'met'] as const;

/** `yes`/`no` for a target, from whether it was met. */
export const verdict = (met: boolean): string => (met ? 'yes' : 'no');

/** The rows as aligned plain-text columns under a header and a rule, one string per line. */
export function formatTable(rows: readonly Row[]): string[] {
  const all = [HEADER, ...rows];
  const widths = COLUMNS.map((c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: Row) =>
    COLUMNS.map((c, i) => r[c].padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
