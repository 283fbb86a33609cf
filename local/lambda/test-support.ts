import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FunctionDefinition } from '../types.ts';

/** Test helpers for the Lambda service's tests: fixture functions and what they wrote. */

/** The directory of the fixture handlers (plain .mjs files). */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A function definition for a fixture handler; `overrides` make it the case under test. */
export function fixture(handler: string, overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
  return {
    name: `fn-${handler.split('.')[0]?.replaceAll('/', '-')}`,
    handler,
    codeDir: FIXTURES,
    runtime: 'nodejs22.x',
    timeoutSeconds: 10,
    memorySizeMb: 256,
    environment: {},
    ...overrides,
  };
}

/** An invocation's payload, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary handler answers.
export const parse = (payload: string) => JSON.parse(payload) as Record<string, any>;

/** The JSON lines a fixture appended to a file (none when it does not exist yet). */
export async function jsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
