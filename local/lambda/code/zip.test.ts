import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipOf } from '../fixtures/zips.ts';
import { codeDigest, inlineZip, releaseCode, unpackCode } from './store.ts';
import { extractZip, InvalidZipError, zipDigest } from './zip.ts';

describe('extractZip', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every file, folders included', async () => {
    // Prepare
    const zip = zipSync({ 'index.js': strToU8('a'), lib: { 'util.js': strToU8('b') }, 'empty/': {} });

    // Act
    await extractZip(zip, join(dir, 'code'));

    // Assess
    expect(await readFile(join(dir, 'code', 'index.js'), 'utf8')).toBe('a');
    expect(await readFile(join(dir, 'code', 'lib', 'util.js'), 'utf8')).toBe('b');
  });

  it.each([['../evil.js'], ['lib/../../evil.js'], ['/etc/evil.js'], ['..\\evil.js'], ['C:/evil.js']])(
    'refuses the zip-slip entry %s and writes nothing',
    async (name) => {
      // Prepare
      const zip = zipOf({ 'index.js': 'ok', [name]: 'evil' });

      // Act
      const error = await extractZip(zip, join(dir, 'code')).catch((err: unknown) => err);

      // Assess
      expect(error).toBeInstanceOf(InvalidZipError);
      expect(existsSync(join(dir, 'code'))).toBe(false);
      expect(existsSync(join(dir, 'evil.js'))).toBe(false);
    },
  );

  it('refuses what is not a zip, with the message Lambda gives', async () => {
    // Act
    const error = await extractZip(strToU8('not a zip at all'), dir).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(InvalidZipError);
    expect((error as Error).message).toBe(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  });
});

describe('code directories', () => {
  it('reports the digest of the zip as CodeSha256 and CodeSize', () => {
    // Prepare
    const zip = zipOf({ 'index.js': 'exports.handler = async () => 1;' });

    // Act
    const digest = zipDigest(zip);

    // Assess
    expect(digest).toEqual({
      codeSize: zip.byteLength,
      codeSha256: createHash('sha256').update(zip).digest('base64'),
    });
  });

  it('unpacks into a new directory under the root and removes it on release', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'code-root-'));
    const zip = zipOf({ 'index.js': 'x' });

    // Act
    const code = await unpackCode(zip, { root, name: 'my-fn' });
    const listed = await readdir(root);
    const digest = await codeDigest(code.dir);
    await releaseCode(code.dir);

    // Assess
    expect(listed).toEqual([expect.stringMatching(/^wildrydes-lambda-my-fn-/)]);
    expect(code).toMatchObject(zipDigest(zip));
    expect(digest).toEqual(zipDigest(zip));
    expect(await readdir(root)).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('leaves alone a directory it did not unpack (a CDK asset)', async () => {
    // Prepare
    const asset = await mkdtemp(join(tmpdir(), 'asset-'));

    // Act
    await releaseCode(asset);

    // Assess
    expect(existsSync(asset)).toBe(true);
    await rm(asset, { recursive: true, force: true });
  });

  it('leaves nothing behind when a zip cannot be unpacked', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'code-root-'));

    // Act
    const error = await unpackCode(zipOf({ '../x.js': 'x' }), { root }).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(InvalidZipError);
    expect(await readdir(root)).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it("zips CloudFormation's inline code as index.js, the same bytes for the same source", () => {
    // Act
    const first = inlineZip('exports.handler = async () => 1;');
    const second = inlineZip('exports.handler = async () => 1;');

    // Assess
    expect(zipDigest(first)).toEqual(zipDigest(second));
    expect(Object.keys(unzipSync(first))).toEqual(['index.js']);
    expect(strFromU8(unzipSync(first)['index.js'] ?? new Uint8Array())).toBe(
      'exports.handler = async () => 1;',
    );
  });
});
