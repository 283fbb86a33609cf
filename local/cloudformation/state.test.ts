import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from './errors.ts';
import { loadState } from './state.ts';

describe('loadState', () => {
  let dir = '';
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (content: string) => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-state-'));
    await writeFile(join(dir, 'state.json'), content);
    return join(dir, 'state.json');
  };

  it('migrates a version 1 file: its stacks are deployed, with ids and an unknown template', async () => {
    // Prepare
    const v1 = {
      version: 1,
      stacks: [
        {
          stackName: 'Old',
          resources: {},
          outputs: { Url: 'u' },
          exports: { 'old-url': 'u' },
          imports: [],
          assemblyDir: '/tmp/cdk.out',
          assets: {},
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    // Act
    const state = await loadState(await file(JSON.stringify(v1)));
    // Assess
    expect(state).toMatchObject({ version: 2, deleted: [] });
    expect(state.stacks[0]).toMatchObject({
      stackName: 'Old',
      stackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/Old\//),
      status: 'CREATE_COMPLETE',
      outputs: { Url: 'u' },
      outputDetails: [{ key: 'Url', value: 'u' }],
      exports: { 'old-url': 'u' },
      createdAt: '2026-01-01T00:00:00.000Z',
      target: expect.objectContaining({ templateBody: '' }),
      events: [],
      changeSets: [],
    });
  });

  it.each([['not json'], [JSON.stringify({ version: 3, stacks: [] })]])('refuses %s', async (content) => {
    // Act
    const act = loadState(await file(content));
    // Assess
    await expect(act).rejects.toThrow(DeployError);
    await expect(act).rejects.toThrow('is unreadable');
  });
});
