import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, upload } from './upload.ts';

describe('markdownFiles', () => {
  it('passes over a folder named x.md inside a folder', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-upload-'));
    writeFileSync(join(dir, 'a.md'), '# a');
    mkdirSync(join(dir, 'x.md'));

    // Act & Assess
    expect(await markdownFiles([dir])).toEqual([join(dir, 'a.md')]);
  });

  it('refuses a folder holding a broken .md link before uploading anything', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-upload-'));
    writeFileSync(join(dir, 'a.md'), '# a');
    symlinkSync(join(dir, 'gone.md'), join(dir, 'b.md'));

    // Act & Assess
    await expect(markdownFiles([dir])).rejects.toMatchObject({
      exitCode: 2,
      message: `${join(dir, 'b.md')} is a broken link: remove it or point it at a file`,
    });
  });

  it('gives up on an endpoint that accepts connections but never answers', async () => {
    // Prepare
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-upload-'));
    writeFileSync(join(dir, 'a.md'), '# a');
    const before = process.env.WILDRYDES_ENDPOINT;
    process.env.WILDRYDES_ENDPOINT = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

    // Act & Assess
    await expect(upload({ files: [dir], target: 'local' }, () => undefined))
      .rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not answering within 5 s/) })
      .finally(() => {
        process.env.WILDRYDES_ENDPOINT = before;
        silent.close();
      });
  }, 20_000);

  it('refuses what is not a regular file (a named pipe, a device) instead of waiting on it forever', async () => {
    // Act & Assess: reading /dev/zero or a FIFO would never end
    await expect(markdownFiles(['/dev/zero'])).rejects.toMatchObject({
      exitCode: 2,
      message: '/dev/zero is not a file',
    });
  });
});
