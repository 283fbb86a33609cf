import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxFile, readOutbox } from '../local/sns/outbox.ts';
import { readProgress, recordProgress } from './state.ts';

describe('the .wildrydes state, edited or broken by hand', () => {
  const before = process.env.WILDRYDES_STATE_DIR;
  afterEach(() => {
    process.env.WILDRYDES_STATE_DIR = before;
  });

  it.each(['null', '[]', '"x"'])('starts the progress over when progress.json holds %s', async (content) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-state-'));
    process.env.WILDRYDES_STATE_DIR = dir;
    writeFileSync(join(dir, 'progress.json'), content);

    // Act
    await recordProgress('module1', true);

    // Assess
    expect(await readProgress()).toEqual({ module1: { passed: true, at: expect.any(String) } });
    expect(JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'))).toHaveProperty('module1');
  });

  it('says in one line that a folder stands where the outbox file should be', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-state-'));
    mkdirSync(outboxFile(dir), { recursive: true });

    // Act & Assess
    await expect(readOutbox(outboxFile(dir))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/is a folder, where the outbox file should be/),
    });
  });
});
