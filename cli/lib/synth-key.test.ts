import { describe, expect, it } from 'vitest';
import { isSynthInput, type SynthInputs, synthKey } from './synth-key.ts';

const base: SynthInputs = {
  files: {
    'modules/04-stream-processing/stack.ts': 'aa',
    'modules/04-stream-processing/starter/persist.ts': 'bb',
    'contracts/records.ts': 'cc',
    'cdk.json': 'dd',
    'package-lock.json': 'ee',
  },
  context: { solutions: '', windowSeconds: '60', shards: '1' },
  node: 'v20.0.0',
};
const key = synthKey(base);
const withFile = (path: string, hash: string) =>
  synthKey({ ...base, files: { ...base.files, [path]: hash } });

describe('synthKey', () => {
  it('is the same for the same inputs, whatever order the files were found in', () => {
    // Arrange
    const reversed = Object.fromEntries(Object.entries(base.files).reverse());

    // Act
    const again = synthKey({
      ...base,
      files: reversed,
      context: { shards: '1', windowSeconds: '60', solutions: '' },
    });

    // Assess
    expect(again).toBe(key);
  });

  it('changes with a handler, a stack, shared code, cdk.json or the locked packages', () => {
    // Act
    const keys = [
      withFile('modules/04-stream-processing/starter/persist.ts', 'b2'),
      withFile('modules/04-stream-processing/stack.ts', 'a2'),
      withFile('contracts/records.ts', 'c2'),
      withFile('cdk.json', 'd2'),
      withFile('package-lock.json', 'e2'),
      withFile('contracts/new-helper.ts', 'ff'),
    ];

    // Assess
    for (const changed of keys) expect(changed).not.toBe(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('changes with the context (catch-up, window, shards) and the Node.js version', () => {
    // Act
    const keys = [
      synthKey({ ...base, context: { ...base.context, solutions: '4' } }),
      synthKey({ ...base, context: { ...base.context, windowSeconds: '10' } }),
      synthKey({ ...base, context: { ...base.context, shards: '2' } }),
      synthKey({ ...base, node: 'v22.0.0' }),
    ];

    // Assess
    for (const changed of keys) expect(changed).not.toBe(key);
  });

  it('changes when a file is removed', () => {
    // Arrange
    const { 'contracts/records.ts': _, ...rest } = base.files;

    // Act
    const removed = synthKey({ ...base, files: rest });

    // Assess
    expect(removed).not.toBe(key);
  });
});

describe('isSynthInput', () => {
  it('takes code and JSON, not tests or prose', () => {
    // Act
    const taken = ['stack.ts', 'persist.ts', 'cdk.json', 'stack.test.ts', 'README.md'].filter(isSynthInput);

    // Assess
    expect(taken).toEqual(['stack.ts', 'persist.ts', 'cdk.json']);
  });
});
