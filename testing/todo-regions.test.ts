import { describe, expect, it } from 'vitest';
import { driftOutsideTodos, splitImports, todoRegions } from './todo-regions.ts';

const solution = `export function double(xs: number[]): number[] {
  return xs.map((x) => x * 2);
}

export const LIMIT = 25;
`;

const starter = `export function double(xs: number[]): number[] {
  // TODO: return each number doubled.
  void xs;
  return [];
}

export const LIMIT = 25;
`;

describe('todoRegions', () => {
  it('covers the declaration the TODO stands in, from its first line to its closing brace', () => {
    // Act & Assess
    expect(todoRegions(starter.split('\n'))).toEqual([{ start: 0, end: 5 }]);
  });
});

describe('driftOutsideTodos', () => {
  it('accepts a starter that differs from its solution only inside a TODO region', () => {
    // Act & Assess
    expect(driftOutsideTodos(starter, solution)).toEqual([]);
  });

  it.each([
    ['a changed constant', starter.replace('LIMIT = 25', 'LIMIT = 10'), 7],
    ['a constant added above the function', `const X = 1;\n\n${starter}`, 1],
    ['a line added after the function', starter.replace('}\n\n', '}\nconsole.log(1);\n'), 6],
  ])('reports %s', (_, drifted, line) => {
    // Act
    const drift = driftOutsideTodos(drifted, solution);

    // Assess
    expect(drift.map((d) => d.line)).toEqual([line]);
  });
});

describe('splitImports', () => {
  it('resolves relative modules and lists each imported name', () => {
    // Prepare
    const text = "import { a, type B } from '../x.ts';\nimport { c } from 'pkg';\nconst y = 1;\n";

    // Act
    const { body, imported } = splitImports(text, '/repo/m/starter/f.ts');

    // Assess
    expect(body).toBe('const y = 1;\n');
    expect(imported).toEqual(['/repo/m/x.ts#a', '/repo/m/x.ts#B', 'pkg#c']);
  });
});
