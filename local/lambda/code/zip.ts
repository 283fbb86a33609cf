/** Deployment packages: unpacking a function's zip safely, and the digest Lambda reports for it. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

/** Lambda's quotas for a `.zip` deployment package. */
export const ZIP_LIMITS = {
  /** A zip uploaded in the request (`ZipFile`): 50 MB. */
  zippedBytes: 50 * 1024 * 1024,
  /** Everything unpacked, as Lambda measures it. */
  unzippedBytes: 262_144_000,
} as const;

/** A package that is not a zip Lambda could unpack (the API answers `InvalidParameterValueException`). */
export class InvalidZipError extends Error {
  constructor(message = 'Could not unzip uploaded file. Please check your file, then try to upload again.') {
    super(message);
    this.name = 'InvalidZipError';
  }
}

/** `CodeSha256` (base64 SHA-256 of the zip) and `CodeSize` (its bytes), as Lambda reports them. */
export function zipDigest(zip: Uint8Array): { codeSize: number; codeSha256: string } {
  return { codeSize: zip.byteLength, codeSha256: createHash('sha256').update(zip).digest('base64') };
}

/**
 * Where an entry named `name` lands under `dir`, or `undefined` for a directory entry. Throws
 * `InvalidZipError` for a name that would escape `dir` ("zip slip": `../x`, `/etc/x`, `C:\x`).
 */
export function entryPath(dir: string, name: string): string | undefined {
  // Zips made on Windows may separate with backslashes; read them as folders, as unzip does.
  const normalised = name.replaceAll('\\', '/');
  if (normalised.endsWith('/')) return undefined;
  const target = resolve(dir, normalised);
  const rel = relative(dir, target);
  if (
    normalised.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalised) ||
    rel === '' ||
    rel.startsWith(`..${sep}`) ||
    rel === '..' ||
    isAbsolute(rel)
  ) {
    throw new InvalidZipError(`Could not unzip uploaded file: the entry ${name} points outside the package.`);
  }
  return target;
}

/**
 * Unpacks `zip` into `dir` (created if needed). Refuses what is not a zip, entries that would be
 * written outside `dir`, and packages larger unpacked than Lambda allows, before writing anything.
 */
export async function extractZip(zip: Uint8Array, dir: string): Promise<void> {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      // Sizes come from the central directory: check them before inflating anything.
      filter: (file) => {
        total += file.originalSize;
        if (total > ZIP_LIMITS.unzippedBytes) {
          throw new InvalidZipError(`Unzipped size must be smaller than ${ZIP_LIMITS.unzippedBytes} bytes`);
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof InvalidZipError) throw err;
    throw new InvalidZipError();
  }
  const files = Object.entries(entries).flatMap(([name, bytes]) => {
    const path = entryPath(dir, name);
    return path ? [{ path, bytes }] : [];
  });
  await mkdir(dir, { recursive: true });
  for (const { path, bytes } of files) {
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    } catch (err) {
      // A file and a folder of the same name, say: the package cannot be laid out.
      throw new InvalidZipError(`Could not unzip uploaded file: ${(err as Error).message}`);
    }
  }
}
