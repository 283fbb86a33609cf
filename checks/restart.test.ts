import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '../testing/local-cloud.ts';
import { runModuleCheck } from '../testing/streams.ts';
import { check } from './module2.ts';
import { localCloudStartedAt, restartNote } from './restart.ts';

process.env.WILDRYDES_STATE_DIR = mkdtempSync(join(tmpdir(), 'wildrydes-restart-'));

describe('restartNote', () => {
  const startedAt = new Date('2026-11-22T10:42:05Z');
  const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

  it.each([
    ['the cloud cannot tell when it started', undefined, { passed: true, at: '2026-11-22T10:31:12Z' }],
    ['the module was never checked', startedAt, undefined],
    ['the last check came after the start', startedAt, { passed: true, at: '2026-11-22T10:50:00Z' }],
    ['the last check time is unreadable', startedAt, { passed: true, at: 'yesterday' }],
  ])('says nothing when %s', (_case, started, last) => {
    // Act
    const note = restartNote(started, last);

    // Assess
    expect(note).toBeUndefined();
  });

  it.each([
    [true, 'passed'],
    [false, 'failed'],
  ])('says plainly that data sent before the restart is gone (last check %s)', (passed, word) => {
    // Act
    const note = restartNote(startedAt, { passed, at: '2026-11-22T10:31:12Z' });

    // Assess
    expect(note).toContain(
      `the local cloud restarted at ${clock('2026-11-22T10:42:05Z')}, after your last check of this module (${clock('2026-11-22T10:31:12Z')}, ${word})`,
    );
    expect(note).toContain('everything sent before the restart is gone');
    expect(note).toContain('send your data again');
  });
});

describe('a failed check after a restart of the local cloud', () => {
  const cloud = useLocalCloud();

  it('reads when the local cloud started from its health endpoint', async () => {
    // Act
    const startedAt = await localCloudStartedAt(cloud().endpoint);

    // Assess
    expect(startedAt?.getTime()).toBe(cloud().startedAt.getTime());
  });

  it('cannot tell when nothing answers', async () => {
    // Act
    const startedAt = await localCloudStartedAt('http://127.0.0.1:1');

    // Assess
    expect(startedAt).toBeUndefined();
  });

  it.each([
    ['before the cloud started', -60_000, true],
    ['after the cloud started', 1_000, false],
  ])('notes the restart when the module was last checked %s', async (_case, offsetMs, noted) => {
    // Prepare
    const at = new Date(cloud().startedAt.getTime() + offsetMs).toISOString();
    await writeFile(
      join(process.env.WILDRYDES_STATE_DIR ?? '', 'progress.json'),
      JSON.stringify({ module2: { passed: true, at } }),
    );

    // Act
    const { code, lines } = await runModuleCheck('module2', check, cloud().endpoint, { waitSeconds: 0 });

    // Assess
    expect(code).toBe(1);
    expect(lines.some((l) => l.startsWith('    note: the local cloud restarted'))).toBe(noted);
  });
});
