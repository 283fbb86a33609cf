import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  FileProcessingNotDeployedError,
  locateFileProcessing,
} from '../../checks/file-processing-resources.ts';
import { describeAwsError, UsageError } from '../../core/errors.ts';
import { createProgress } from '../../core/progress-line.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { assertLocalCloudRunning, honestTarget } from '../lib/preflight.ts';

export interface UploadOptions {
  /** Markdown files, or folders whose `.md` files are all uploaded. */
  files: string[];
  target: Target;
  region?: string;
  /** A key prefix ("folder") in the bucket, e.g. `interviews/`. */
  prefix?: string;
}

const isMarkdown = (path: string) => extname(path).toLowerCase() === '.md';

/** Expands folders to their `.md` files and refuses what is missing or not Markdown. */
export async function markdownFiles(paths: string[]): Promise<string[]> {
  if (paths.length === 0) {
    throw new UsageError(
      'name at least one Markdown file or folder, e.g. `npm run upload -- modules/01-file-processing/samples`',
    );
  }
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isDirectory()) {
      // Checked before anything is sent: a folder named x.md is passed over, a broken link
      // refused, never found halfway through the upload.
      const inside: string[] = [];
      for (const name of (await readdir(path)).filter(isMarkdown).sort()) {
        const entry = await stat(join(path, name)).catch(() => undefined);
        if (!entry)
          throw new UsageError(`${join(path, name)} is a broken link: remove it or point it at a file`);
        if (entry.isFile()) inside.push(name);
      }
      if (inside.length === 0) throw new UsageError(`${path} holds no Markdown (.md) files`);
      files.push(...inside.map((name) => join(path, name)));
    } else if (!info.isFile()) {
      throw new UsageError(`${path} is not a file`);
    } else if (!isMarkdown(path)) {
      throw new UsageError(`${path} is not a Markdown file: module 1 processes \`.md\` files only`);
    } else {
      files.push(path);
    }
  }
  return files;
}

/**
 * `npm run upload -- <file|folder>…`: puts interview notes in module 1's input bucket, where the
 * EventBridge rule picks them up. Returns the exit code.
 */
export async function upload(
  opts: UploadOptions,
  out: (line: string) => void = console.log,
): Promise<number> {
  const files = await markdownFiles(opts.files);
  // An endpoint that accepts connections but never answers is given up on in seconds, as by the others.
  if (opts.target === 'local') await assertLocalCloudRunning();
  const prefix = opts.prefix ? `${opts.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  const target = await honestTarget(targetConfig(opts.target, { region: opts.region }));
  const s3 = new S3Client({ ...target.clientConfig, forcePathStyle: target.target === 'local' });
  const context = { endpoint: target.clientConfig.endpoint, region: target.clientConfig.region };
  let bucket: string;
  try {
    bucket = (await locateFileProcessing(target)).inputBucket;
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (err instanceof FileProcessingNotDeployedError) throw new UsageError(err.message);
    const name = (err as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchBucket') {
      throw new UsageError(new FileProcessingNotDeployedError(target.describe).message);
    }
    throw describeAwsError(err, context) ?? err;
  }
  const progress = createProgress();
  try {
    for (const [i, file] of files.entries()) {
      const key = `${prefix}${basename(file)}`;
      progress.update(`uploading ${i + 1}/${files.length}: ${key}`);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: await readFile(file),
          ContentType: 'text/markdown; charset=utf-8',
        }),
      );
      progress.done();
      out(`✔ ${file} → s3://${bucket}/${key}`);
    }
  } catch (err) {
    progress.done();
    throw describeAwsError(err, { ...context, resource: `bucket '${bucket}'` }) ?? err;
  }
  out(
    `Uploaded ${files.length} note${files.length === 1 ? '' : 's'}. Watch the functions' logs, then check your work: \`npm run check:module1\``,
  );
  return 0;
}
