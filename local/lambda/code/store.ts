/**
 * Code directories unpacked from zips (API uploads, S3 objects, CloudFormation's inline code).
 * Each belongs to the one function it was unpacked for: the Lambda service removes it once that
 * function has moved to other code, been deleted, or the service stops.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { extractZip, zipDigest } from './zip.ts';

/** A zip unpacked to a directory, with the digest Lambda reports for the zip. */
export interface UnpackedCode {
  dir: string;
  /** Bytes of the zip (`CodeSize`). */
  codeSize: number;
  /** Base64 SHA-256 of the zip (`CodeSha256`). */
  codeSha256: string;
}

/** Every directory unpacked in this process and not yet released, by path. */
const unpacked = new Map<string, UnpackedCode>();

/**
 * Unpacks a zip into a new directory under `root` (default: the OS temporary directory).
 * Throws `InvalidZipError` for a package Lambda would refuse; nothing is left behind then.
 */
export async function unpackCode(
  zip: Uint8Array,
  opts: { root?: string; name?: string } = {},
): Promise<UnpackedCode> {
  const root = opts.root ?? tmpdir();
  await mkdir(root, { recursive: true });
  const label = (opts.name ?? 'function').replace(/[^\w-]/g, '_');
  const dir = await mkdtemp(join(root, `wildrydes-lambda-${label}-`));
  try {
    await extractZip(zip, dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const code = { dir, ...zipDigest(zip) };
  unpacked.set(dir, code);
  return code;
}

/**
 * `CodeSize` and `CodeSha256` of a function's code: its zip's, if `unpackCode` made the
 * directory, else the total size and a base64 SHA-256 of the directory's files (a CDK asset).
 */
export async function codeDigest(dir: string): Promise<{ codeSize: number; codeSha256: string }> {
  const zipped = unpacked.get(dir);
  if (zipped) return { codeSize: zipped.codeSize, codeSha256: zipped.codeSha256 };
  const hash = createHash('sha256');
  let codeSize = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(rel, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) {
        const bytes = await readFile(join(dir, path));
        codeSize += bytes.length;
        hash.update(path).update(bytes);
      }
    }
  };
  await walk('');
  return { codeSize, codeSha256: hash.digest('base64') };
}

/** Removes a directory `unpackCode` made; any other directory (a CDK asset) is left alone. */
export async function releaseCode(dir: string): Promise<void> {
  if (!unpacked.delete(dir)) return;
  await rm(dir, { recursive: true, force: true });
}

/**
 * CloudFormation's inline code for a Node.js function (`Code.ZipFile`): the source, zipped as
 * `index.js`. A fixed timestamp keeps the zip, and so `CodeSha256`, the same for the same source.
 */
export function inlineZip(source: string): Uint8Array {
  return zipSync({ 'index.js': strToU8(source) }, { mtime: new Date('1980-01-01T00:00:00Z') });
}
