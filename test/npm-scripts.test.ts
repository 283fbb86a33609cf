import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';

const run = promisify(execFile);
const scripts: Record<string, string> = JSON.parse(
  readFileSync(join(repoRoot, 'package.json'), 'utf8'),
).scripts;

/** Scripts that call the `wildrydes` CLI (with Node flags or without), with the command words they pass it. */
const cliScripts = Object.entries(scripts).flatMap(([name, command]) => {
  const match = /^node (?:--[\w-]+=\S+ )*--import tsx cli\/wildrydes\.ts (.+)$/.exec(command);
  return match?.[1] ? [[name, match[1].split(' ')] as const] : [];
});

// Every `npm run x` an attendee is told to type must reach a command that exists: a script whose
// command is not registered fails with "Unknown arguments" in front of the whole room.
describe('npm scripts of the wildrydes CLI', () => {
  it('covers the workshop commands', () => {
    expect(cliScripts.map(([name]) => name)).toEqual(
      expect.arrayContaining(['start', 'consumer', 'upload', 'outbox', 'catchup', 'status', 'check:module1']),
    );
  });

  it.concurrent.each(cliScripts)('npm run %s reaches a registered command', async (_, words) => {
    // Act
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'cli/wildrydes.ts'), ...words, '--help'],
      {
        cwd: repoRoot,
      },
    );

    // Assess: the command's own help, not the CLI's list of commands
    expect(stdout).not.toMatch(/^Commands:/m);
    expect(stdout).toMatch(/--help/);
  });
});
