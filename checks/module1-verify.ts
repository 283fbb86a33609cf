/**
 * What "correct" means for module 1's outputs, as pure functions: the check applies them to what
 * the attendee's functions produced, and the tests apply them to the sanitiser.
 */
import { toSafeHtml } from '../solutions/01-file-processing/conversion.ts';

/** The labels DetectSentiment returns. */
export const SENTIMENT_LABELS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;

/** Tags that run code, embed another document, or send the reader elsewhere. */
const DANGEROUS_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'form',
  'svg',
  'math',
  'link',
  'style',
  'template',
]);

/** Attributes whose value the browser follows or loads as a URL. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'background',
  'poster',
  'srcset',
  'cite',
  'lowsrc',
  'dynsrc',
]);

const TAG = /<([a-zA-Z][^\s/>]*)([^>]*)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Browsers decode entities and drop tabs and newlines inside a URL before reading its scheme. */
function normaliseUrl(value: string): string {
  const decoded = value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&(tab|newline);/gi, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip.
  return decoded.replace(/[\u0000-\u0020]/g, '').toLowerCase();
}

function unsafeUrl(attribute: string, value: string): string | undefined {
  const url = normaliseUrl(value);
  for (const scheme of ['javascript:', 'vbscript:', 'livescript:']) {
    if (url.startsWith(scheme)) return `${attribute}="${value}" runs code (${scheme})`;
  }
  if (url.startsWith('data:') && !(attribute === 'src' && /^data:image\/(png|gif|jpe?g|webp);/.test(url))) {
    return `${attribute}="${value.slice(0, 40)}" is a data: URL (a document of the uploader's choosing)`;
  }
  return undefined;
}

/**
 * Everything in `html` that could run code or load a hostile document when a reader opens it:
 * script-like tags, `on…=` event-handler attributes, `javascript:`/`vbscript:`/`data:` URLs,
 * scripted styles. An empty list means the page is safe to open.
 */
export function unsafeHtmlFindings(html: string): string[] {
  const findings: string[] = [];
  for (const [, rawName = '', rawAttributes = ''] of html.matchAll(TAG)) {
    const tag = rawName.toLowerCase();
    if (DANGEROUS_TAGS.has(tag)) findings.push(`<${tag}> tag`);
    for (const [, rawAttr = '', dq, sq, bare] of rawAttributes.matchAll(ATTRIBUTE)) {
      const attribute = rawAttr.toLowerCase();
      const value = dq ?? sq ?? bare ?? '';
      if (/^on/.test(attribute)) findings.push(`${attribute}= event-handler attribute on <${tag}>`);
      if (URL_ATTRIBUTES.has(attribute)) {
        const problem = unsafeUrl(attribute, value);
        if (problem) findings.push(`${problem} on <${tag}>`);
      }
      if (attribute === 'style' && /expression\s*\(|javascript:|behavior\s*:/i.test(normaliseUrl(value))) {
        findings.push(`style="${value}" runs code on <${tag}>`);
      }
      if (tag === 'meta' && attribute === 'http-equiv' && value.toLowerCase() === 'refresh') {
        findings.push('<meta http-equiv="refresh"> redirects the reader');
      }
    }
  }
  return findings;
}

/** The visible text of a page, roughly: tags removed, whitespace collapsed. */
export function visibleText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What is wrong with a `SentimentTable` row, in plain words (an empty list: nothing). Scores are
 * probabilities: each in [0, 1], the four summing to 1 (within `tolerance`, for rounding).
 */
export function sentimentItemProblems(item: Record<string, unknown>, tolerance = 0.02): string[] {
  const problems: string[] = [];
  const label = item.overall_sentiment;
  if (typeof label !== 'string' || !(SENTIMENT_LABELS as readonly string[]).includes(label)) {
    problems.push(`overall_sentiment is ${JSON.stringify(label)}, not one of ${SENTIMENT_LABELS.join(', ')}`);
  }
  let sum = 0;
  for (const name of ['positive', 'negative', 'neutral', 'mixed']) {
    const value = item[name];
    if (typeof value !== 'number' || Number.isNaN(value)) {
      problems.push(`${name} is ${JSON.stringify(value)}, not a number`);
      continue;
    }
    if (value < 0 || value > 1) problems.push(`${name} is ${value}, outside 0…1`);
    sum += value;
  }
  if (problems.length === 0 && Math.abs(sum - 1) > tolerance) {
    problems.push(`the four scores add up to ${sum.toFixed(3)}, not 1`);
  }
  const lastModified = item.last_modified;
  if (typeof lastModified !== 'string' || Number.isNaN(Date.parse(lastModified))) {
    problems.push(`last_modified is ${JSON.stringify(lastModified)}, not an ISO 8601 time`);
  }
  return problems;
}

/** Where the conversion writes a note's page: `notes/a.md` → `notes/a.html` (as the handler does). */
export function expectedHtmlKey(key: string): string {
  return `${key.replace(/\.md$/i, '')}.html`;
}

/** The table key of a note: `s3://bucket/key`. */
export const sentimentId = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/**
 * Whether a note's page should show any text: the reference conversion's page of the same note
 * does. A note that is all hostile markup (`<noscript><p title="</noscript><img …>">`) rightly
 * becomes an empty page once sanitised.
 */
export const noteHasVisibleText = (source: string): boolean => visibleText(toSafeHtml(source)) !== '';

/**
 * What is wrong with a converted page, in one line (undefined: nothing). `sourceHasText` says
 * whether the note should give a page with text (see `noteHasVisibleText`).
 */
export function pageProblem(page: string, html: string, sourceHasText: boolean): string | undefined {
  const findings = unsafeHtmlFindings(html);
  if (findings.length > 0) {
    return `${page} is not sanitised: ${findings.slice(0, 3).join('; ')}${findings.length > 3 ? ` (and ${findings.length - 3} more)` : ''}`;
  }
  if (!sourceHasText) return undefined;
  if (visibleText(html) === '') return `${page} has no text: the conversion wrote an empty page`;
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  if (!/<[a-z][^>]*>/i.test(body)) {
    return `${page} is plain text, not HTML: the Markdown was not converted`;
  }
  return undefined;
}
