import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { driftOutsideTodos, splitImports } from '../testing/todo-regions.ts';

/**
 * What a module folder may hold: what an attendee reads or edits. The harness, the contracts
 * between modules and the end-to-end tests live elsewhere (testing/, contracts/, test/).
 */
const MODULE_ENTRIES = new Set([
  'by-hand',
  'README.md',
  'stack.ts',
  'stack.test.ts',
  'starter',
  'events',
  'samples',
  'shared',
]);

/** Names a TypeScript file exports at top level (functions, consts, classes, types, interfaces). */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of source.statements) {
    const isExported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      names.push(...statement.exportClause.elements.map((e) => e.name.text));
    }
    if (!isExported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      names.push((statement.name as ts.Identifier).text);
    }
  }
  return names.sort();
}

// The curriculum checks itself (as rustlings' `dev check`): every module is complete and every
// starter is its solution with the logic cut out.
describe.each(curriculum.map((m) => [`module ${m.id} (${m.key})`, m] as const))('%s', (_, module) => {
  it('has instructions, a stack, a check script and hints', () => {
    // Assess
    expect(existsSync(join(repoRoot, module.folder, 'README.md'))).toBe(true);
    expect(existsSync(join(repoRoot, module.folder, 'stack.ts'))).toBe(true);
    expect(existsSync(join(repoRoot, 'checks', `${module.key}.ts`))).toBe(true);
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts[module.check]).toBeDefined();
    expect(module.hints.length).toBeGreaterThan(0);
    for (const hint of module.hints) expect(hint.trim()).not.toBe('');
  });

  it.each(module.handlers.map((h) => [h]))(
    'starter and solution of %s match, and the starter has a TODO',
    (file) => {
      // Prepare
      const starter = join(repoRoot, module.folder, 'starter', file);
      const solution = join(repoRoot, module.solutions, file);

      // Assess
      expect(existsSync(starter), `${starter} is missing`).toBe(true);
      expect(existsSync(solution), `${solution} is missing`).toBe(true);
      expect(readFileSync(starter, 'utf8')).toContain('// TODO');
      expect(readFileSync(solution, 'utf8')).not.toContain('// TODO');
      expect(exportedNames(starter)).toEqual(exportedNames(solution));
    },
  );

  it.each(module.handlers.map((h) => [h]))(
    'starter %s is its solution outside the TODO regions, importing nothing the solution does not',
    (file) => {
      // Prepare
      const starterFile = join(repoRoot, module.folder, 'starter', file);
      const solutionFile = join(repoRoot, module.solutions, file);
      const starter = splitImports(readFileSync(starterFile, 'utf8'), starterFile);
      const solution = splitImports(readFileSync(solutionFile, 'utf8'), solutionFile);

      // Act
      const drift = driftOutsideTodos(starter.body, solution.body);

      // Assess
      expect(drift).toEqual([]);
      expect(starter.imported.filter((i) => !solution.imported.includes(i))).toEqual([]);
    },
  );

  it('holds only what an attendee reads or edits', () => {
    // Act
    const stray = readdirSync(join(repoRoot, module.folder)).filter((entry) => !MODULE_ENTRIES.has(entry));

    // Assess
    expect(stray, `move these out of ${module.folder} (to testing/, contracts/ or test/)`).toEqual([]);
  });
});
