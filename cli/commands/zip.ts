/**
 * `npm run zip -- <folder> <file.zip>`: a Lambda deployment package from a folder, on any
 * machine (no `zip` command needed), for the by-hand steps that use `aws lambda create-function`.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';
import { UsageError } from '../../core/errors.ts';

/** Every file under `dir`, as zip entry names (forward slashes) → contents. */
async function filesOf(dir: string, root = dir): Promise<Record<string, Uint8Array>> {
  const entries: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(entries, await filesOf(path, root));
    else if (entry.isFile()) entries[relative(root, path).split(sep).join('/')] = await readFile(path);
  }
  return entries;
}

/** Zips the files of `folder` into `out`; one line says what it wrote. */
export async function zipFolder(opts: { folder: string; out: string }): Promise<number> {
  const info = await stat(opts.folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`there is no folder '${opts.folder}' to zip`);
  if (!opts.out.endsWith('.zip'))
    throw new UsageError(`name the package with .zip, e.g. function.zip (got '${opts.out}')`);
  const files = await filesOf(opts.folder);
  const names = Object.keys(files);
  if (names.length === 0) throw new UsageError(`the folder '${opts.folder}' has no file to zip`);
  const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
  await writeFile(opts.out, zip);
  console.log(`✔ ${opts.out}: ${names.sort().join(', ')} (${zip.byteLength} bytes)`);
  return 0;
}
