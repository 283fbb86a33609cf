import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileProcessingNames } from '../../contracts/file-processing.ts';
import { UsageError } from '../../core/errors.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../core/local-cloud.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { upload } from './upload.ts';

const samples = 'modules/01-file-processing/samples';
const { inputBucket } = fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);

describe('npm run upload', () => {
  const cloud = useLocalCloud();
  let dir: string;
  let s3: S3Client;

  beforeAll(async () => {
    process.env.WILDRYDES_ENDPOINT = cloud().endpoint;
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-upload-'));
    await writeFile(join(dir, 'notes.txt'), 'not markdown');
    s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['no file', [], /name at least one Markdown file/],
    ['a missing file', ['nope.md'], /no such file or folder: nope\.md/],
    ['a file that is not Markdown', ['NOTES'], /is not a Markdown file/],
  ])('refuses %s in one line, exit code 2', async (_, files, message) => {
    // Prepare
    const paths = files.map((f) => (f === 'NOTES' ? join(dir, 'notes.txt') : f));

    // Act
    const run = upload({ files: paths, target: 'local' }, () => undefined);

    // Assess
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toMatchObject({ exitCode: 2 });
  });

  it('says module 1 is not deployed when its bucket is missing', async () => {
    // Act
    const run = upload({ files: [samples], target: 'local' }, () => undefined);

    // Assess
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/module 1 is not deployed .* `npm run deploy -- 1`/);
  });

  it('uploads every sample of a folder to the input bucket', async () => {
    // Prepare
    await s3.send(new CreateBucketCommand({ Bucket: inputBucket }));
    const lines: string[] = [];

    // Act
    const code = await upload({ files: [samples], target: 'local', prefix: 'interviews' }, (l) =>
      lines.push(l),
    );

    // Assess
    expect(code).toBe(0);
    expect(lines.filter((l) => l.startsWith('✔'))).toHaveLength(6);
    expect(lines.at(-1)).toContain('npm run check:module1');
    const object = await s3.send(
      new GetObjectCommand({ Bucket: inputBucket, Key: 'interviews/interview-positive.md' }),
    );
    expect(await object.Body?.transformToString()).toContain('Rider interview: Ana');
  });
});
