import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, InvalidUtf8Error } from '../../modules/01-file-processing/shared/object-event.ts';
import { unsafeHtmlFindings } from '../../modules/01-file-processing/verify.ts';
import { clientConfig, useLocalCloud } from '../../test/local-cloud.ts';
import { htmlDocument, htmlKeyOf, toSafeHtml } from './conversion.ts';
import { fakeContext, objectCreatedEvent, sqsEvent } from './test-support.ts';

// Payloads from the OWASP XSS Filter Evasion Cheat Sheet, plus the Markdown ways to write them.
const XSS_PAYLOADS: [string, string][] = [
  ['external script', '<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>'],
  [
    'polyglot',
    `javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>`,
  ],
  ['img javascript src', `<IMG SRC="javascript:alert('XSS');">`],
  ['img unquoted, mixed case', `<IMG SRC=JaVaScRiPt:alert('XSS')>`],
  ['img grave accents', '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>'],
  ['anchor onmouseover', '<a onmouseover="alert(document.cookie)">xxs link</a>'],
  ['malformed img then script', `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`],
  ['img onerror', `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`],
  [
    'decimal entities without semicolons',
    '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>',
  ],
  [
    'decimal entities',
    '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  ],
  [
    'hex entities',
    '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  ],
  ['embedded tab', `<IMG SRC="jav\tascript:alert('XSS');">`],
  ['encoded tab', `<IMG SRC="jav&#x09;ascript:alert('XSS');">`],
  ['encoded newline', `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`],
  ['leading spaces and meta chars', `<IMG SRC=" &#14;  javascript:alert('XSS');">`],
  ['non-alpha-non-digit', '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>'],
  ['body onload with junk', '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>'],
  ['extra open bracket', '<<SCRIPT>alert("XSS");//\\<</SCRIPT>'],
  ['no closing script tag', '<SCRIPT SRC=http://xss.rocks/xss.js?< B >'],
  ['half-open iframe', '<iframe src=http://xss.rocks/scriptlet.html <'],
  ['input image', `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`],
  ['body background', `<BODY BACKGROUND="javascript:alert('XSS')">`],
  ['svg onload', "<svg/onload=alert('XSS')>"],
  ['stylesheet link', `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`],
  ['meta refresh', `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`],
  ['iframe', `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`],
  ['frameset', `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`],
  ['table background', `<TABLE BACKGROUND="javascript:alert('XSS')">`],
  ['div background-image', `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`],
  ['div expression', `<DIV STYLE="width: expression(alert('XSS'));">`],
  ['object', '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>'],
  [
    'embed svg',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
  ],
  ['base href', `<BASE HREF="javascript:alert('XSS');//">`],
  ['data: link', '<A HREF="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">X</A>'],
  ['&colon; entity', '<a href="javascript&colon;alert(1)">x</a>'],
  ['style import', "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>"],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['mutation (math/style)', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['vbscript', `<IMG SRC='vbscript:msgbox("XSS")'>`],
  ['form action', '<form action="javascript:alert(1)"><button>go</button></form>'],
  ['markdown link', '[click me](javascript:alert(1))'],
  ['markdown link, upper case', '[click me](JAVASCRIPT:alert(1))'],
  ['markdown data: link', '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['markdown image', '![pic](javascript:alert(1))'],
  ['markdown vbscript link', '[x](vbscript:msgbox(1))'],
  ['markdown autolink', '<javascript:alert(1)>'],
  ['markdown reference link', '[x][1]\n\n[1]: javascript:alert(1)'],
];

describe('toSafeHtml', () => {
  it.each(XSS_PAYLOADS)('leaves nothing executable of %s', (_, payload) => {
    // Act
    const html = toSafeHtml(`# Notes\n\n${payload}\n\nThe end.`);
    // (An unclosed <script> or <style> may swallow "The end.": lost text, but nothing runs.)

    // Assess
    expect(unsafeHtmlFindings(html)).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(iframe|object|embed|frame|form|base|link|meta|style|svg)\b/i);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]*=\s*["']?\s*(javascript|vbscript|data):/i);
  });

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
