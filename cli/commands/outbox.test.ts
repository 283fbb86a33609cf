import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOutbox, type OutboxMessage, outboxFile } from '../../local/sns/outbox.ts';
import { formatMessage, outbox } from './outbox.ts';

const message = (n: number): OutboxMessage => ({
  time: `2026-11-23T09:0${n}:00.000Z`,
  to: 'instructor@example.com',
  protocol: 'email',
  topic: 'arn:aws:sns:us-east-1:000000000000:wildrydes-file-processing-alarms',
  subject: `ALARM ${n}`,
  body: `line one of ${n}\nline two`,
});

describe('npm run outbox', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-outbox-cli-'));
    process.env.WILDRYDES_STATE_DIR = dir;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says the outbox is empty before anything was sent', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const code = await outbox({ follow: false }, (l) => lines.push(l));

    // Assess
    expect(code).toBe(0);
    expect(lines).toEqual([expect.stringContaining('The outbox is empty')]);
  });

  it('prints every message, oldest first, with its subject and indented body', async () => {
    // Prepare
    await appendOutbox(outboxFile(dir), [message(1), message(2), message(3)]);
    const lines: string[] = [];

    // Act
    await outbox({ follow: false }, (l) => lines.push(l));

    // Assess
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('to instructor@example.com  (topic wildrydes-file-processing-alarms, email)');
    expect(lines[0]).toContain('  Subject: ALARM 1');
    expect(lines[0]).toContain('    line one of 1\n    line two');
    expect(lines[2]).toContain('ALARM 3');
  });

  it('shows the newest N with --last', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    await outbox({ follow: false, last: 1 }, (l) => lines.push(l));

    // Assess
    expect(lines).toEqual([expect.stringContaining('ALARM 3')]);
  });

  it('refuses a --last that is not a whole number', async () => {
    // Act + Assess
    await expect(outbox({ follow: false, last: 0 }, () => undefined)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('follows new messages until stopped', async () => {
    // Prepare
    const lines: string[] = [];
    const stop = new AbortController();

    // Act
    const following = outbox({ follow: true, last: 1, intervalMs: 20, signal: stop.signal }, (l) =>
      lines.push(l),
    );
    await new Promise((r) => setTimeout(r, 60));
    await appendOutbox(outboxFile(dir), [message(4)]);
    await new Promise((r) => setTimeout(r, 200));
    stop.abort();
    await following;

    // Assess
    expect(lines.map((l) => l.split('\n')[0])).toEqual([
      expect.stringContaining('09:03:00'),
      expect.stringContaining('waiting for more'),
      expect.stringContaining('09:04:00'),
    ]);
  });
});

describe('formatMessage', () => {
  it('shows escape codes and line breaks in a subject as text, never raw to the terminal', () => {
    // Prepare
    const message = {
      time: '2026-12-02T09:00:00.000Z',
      to: 'a@example.com',
      topic: 'arn:aws:sns:us-east-1:000000000000:alerts',
      protocol: 'email',
      subject: '\u001b[2J\u001b[31mYOU WERE HACKED\r\nBcc: x',
      body: 'line one\n\u001b]0;title\u0007line two',
    } as OutboxMessage;

    // Act
    const text = formatMessage(message);

    // Assess
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('Subject: \\x1b[2J\\x1b[31mYOU WERE HACKED\\r\\nBcc: x');
    expect(text).toContain('    \\x1b]0;title\\x07line two');
  });
});
