import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { unsafeHtmlFindings } from '../../checks/module1-verify.ts';
import { FileTooLargeError, InvalidUtf8Error } from '../../modules/01-file-processing/shared/object-event.ts';
import { fakeContext, objectCreatedEvent, sqsEvent } from '../../testing/file-processing.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { htmlDocument, htmlKeyOf, toSafeHtml } from './conversion.ts';

// What must not survive (the OWASP XSS payloads) is in xss.test.ts; this is what must.
describe('toSafeHtml', () => {
  it.each([
    ['heading', '# Interview', '<h1>Interview</h1>'],
    ['emphasis', 'a **great** ride', '<strong>great</strong>'],
    ['list', '- fast\n- kind', '<li>fast</li>'],
    ['table', '| a | b |\n|---|---|\n| 1 | 2 |', '<td>1</td>'],
    ['code with language', '```js\nlet x = 1;\n```', '<code class="language-js">'],
    [
      'https link, opened safely',
      '[site](https://wildrydes.com)',
      '<a href="https://wildrydes.com" rel="noopener noreferrer nofollow">site</a>',
    ],
    [
      'https image',
      '![unicorn](https://wildrydes.com/u.png)',
      '<img src="https://wildrydes.com/u.png" alt="unicorn" />',
    ],
    ['text that looks like HTML', 'use `<script>` tags', '<code>&lt;script&gt;</code>'],
  ])('keeps %s', (_, markdown, expected) => {
    // Act
    const html = toSafeHtml(markdown);

    // Assess
    expect(html).toContain(expected);
  });
});

describe('htmlKeyOf and htmlDocument', () => {
  it.each([
    ['interview.md', 'interview.html'],
    ['notes/2026/interview.md', 'notes/2026/interview.html'],
    ['UPPER.MD', 'UPPER.html'],
    ['no-extension', 'no-extension.html'],
  ])('maps %s to %s', (key, expected) => {
    // Assess
    expect(htmlKeyOf(key)).toBe(expected);
  });

  it('escapes the title and forbids scripts by policy', () => {
    // Act
    const page = htmlDocument('<script>x</script>.md', '<p>hi</p>');

    // Assess
    expect(page).not.toContain('<script>');
    expect(page).toContain("default-src 'none'");
    expect(unsafeHtmlFindings(page)).toEqual([]);
  });
});

describe('conversion handler on a local cloud', () => {
  const cloud = useLocalCloud();
  const input = 'conversion-test-input';
  const output = 'conversion-test-output';
  let s3: S3Client;
  let handler: typeof import('./conversion.ts').handler;

  beforeAll(async () => {
    // Prepare: the handler's clients find the local cloud the way a deployed function does.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      OUTPUT_BUCKET: output,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    s3 = new S3Client(clientConfig(cloud()));
    await s3.send(new CreateBucketCommand({ Bucket: input }));
    await s3.send(new CreateBucketCommand({ Bucket: output }));
    ({ handler } = await import('./conversion.ts'));
  });

  it('converts good files and reports only the bad ones as failed', async () => {
    // Prepare
    const files: [string, Uint8Array | string][] = [
      ['good notes.md', '# Great ride\n\n<img src=x onerror=alert(1)> loved it'],
      ['binary.md', new Uint8Array([0x23, 0x20, 0xff, 0xfe, 0x00])],
      ['huge.md', 'x'.repeat(1024 * 1024 + 1)],
    ];
    for (const [key, body] of files)
      await s3.send(new PutObjectCommand({ Bucket: input, Key: key, Body: body }));
    const event = sqsEvent([
      ...files.map(([key]) => JSON.stringify(objectCreatedEvent(input, key))),
      'not json',
    ]);

    // Act
    const result = await handler(event, fakeContext('conversion'));

    // Assess
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'message-1',
      'message-2',
      'message-3',
    ]);
    const page = await s3.send(new GetObjectCommand({ Bucket: output, Key: 'good notes.html' }));
    const html = (await page.Body?.transformToString()) ?? '';
    expect(html).toContain('<h1>Great ride</h1>');
    expect(unsafeHtmlFindings(html)).toEqual([]);
  });

  it("fails the red team's 200 KB `_a` note alone and at once; its batch converts", async () => {
    // Prepare
    const files: [string, string][] = [
      ['b.md', '_a'.repeat(204_800)],
      ['after b.md', '# After\n\nconverted **all the same**'],
    ];
    for (const [key, body] of files)
      await s3.send(new PutObjectCommand({ Bucket: input, Key: key, Body: body }));
    const event = sqsEvent(files.map(([key]) => JSON.stringify(objectCreatedEvent(input, key))));

    // Act
    const result = await handler(event, fakeContext('conversion'));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    const page = await s3.send(new GetObjectCommand({ Bucket: output, Key: 'after b.html' }));
    expect(await page.Body?.transformToString()).toContain('<strong>all the same</strong>');
  });
});

describe('poison files', () => {
  it.each([
    ['over 1 MiB', new Uint8Array(1024 * 1024 + 1), FileTooLargeError],
    ['invalid UTF-8', new Uint8Array([0xc3, 0x28]), InvalidUtf8Error],
    ['a lone continuation byte', new Uint8Array([0x61, 0x80]), InvalidUtf8Error],
    ['an overlong encoding', new Uint8Array([0xc0, 0xaf]), InvalidUtf8Error],
  ])('refuses a file %s', async (_, bytes, error) => {
    // Prepare
    const { decodeMarkdown } = await import('../../modules/01-file-processing/shared/object-event.ts');

    // Act + Assess
    expect(() => decodeMarkdown(bytes)).toThrow(error);
  });
});
