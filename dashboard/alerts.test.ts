import { describe, expect, it } from 'vitest';
import { alertMessage } from '../solutions/05-alerting/alert.ts';
import { status } from '../testing/streams.ts';
import { AlertDeriver, alertFromEmail } from './alerts.ts';
import { describeStatus } from './status.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:wildrydes-alerts';
const at = (minute: number, second: number) =>
  `2026-11-22 09:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000`;

describe('alertFromEmail', () => {
  const sent = alertMessage({
    Name: 'Rocinante',
    MagicPoints: 49,
    StatusTime: at(17, 8),
    windowStart: at(17, 0),
  });

  it("reads the solution's alert email: the unicorn, its points, the record's time", () => {
    // Act
    const alert = alertFromEmail(
      {
        time: '2026-11-22T09:17:09.000Z',
        topic: TOPIC,
        protocol: 'email',
        subject: sent.Subject,
        body: sent.Message,
      },
      'wildrydes-alerts',
    );

    // Assess
    expect(alert).toEqual({
      name: 'Rocinante',
      magic: 49,
      statusTime: at(17, 8),
      sentAt: '2026-11-22T09:17:09.000Z',
      subject: sent.Subject,
      source: 'topic',
    });
  });

  it('reads the message inside an email-json envelope', () => {
    // Act
    const alert = alertFromEmail(
      {
        time: '2026-11-22T09:17:09.000Z',
        topic: TOPIC,
        protocol: 'email-json',
        subject: sent.Subject,
        body: JSON.stringify({ Type: 'Notification', Message: sent.Message }),
      },
      'wildrydes-alerts',
    );

    // Assess
    expect(alert?.magic).toBe(49);
  });

  it("names the unicorn from the subject when an attendee's body says it otherwise", () => {
    // Act
    const alert = alertFromEmail(
      { time: 't', topic: TOPIC, protocol: 'email', subject: sent.Subject, body: 'Rocinante is tired!' },
      'wildrydes-alerts',
    );

    // Assess
    expect(alert).toMatchObject({ name: 'Rocinante', magic: undefined });
  });

  it("ignores another topic's email (module 1's alarms)", () => {
    // Act
    const alert = alertFromEmail(
      { time: 't', topic: `${TOPIC}-dlq`, protocol: 'email', subject: sent.Subject, body: sent.Message },
      'wildrydes-alerts',
    );

    // Assess
    expect(alert).toBeUndefined();
  });
});

describe('AlertDeriver (alerts from the raw stream, on AWS)', () => {
  it("alerts for a unicorn's first record below the threshold in each minute, as the function does", () => {
    // Prepare
    const deriver = new AlertDeriver(50, 60);

    // Act
    const alerts = deriver.add([
      status({ MagicPoints: 50, StatusTime: at(17, 1) }),
      status({ MagicPoints: 49, StatusTime: at(17, 2) }),
      status({ MagicPoints: 48, StatusTime: at(17, 3) }),
      status({ Name: 'Rocinante', MagicPoints: 30, StatusTime: at(17, 3) }),
      status({ MagicPoints: 47, StatusTime: at(18, 0) }),
    ]);
    const again = deriver.add([status({ MagicPoints: 46, StatusTime: at(18, 1) })]);

    // Assess
    expect(alerts.map((a) => `${a.name}@${a.statusTime}:${a.magic}`)).toEqual([
      `Shadowfax@${at(17, 2)}:49`,
      `Rocinante@${at(17, 3)}:30`,
      `Shadowfax@${at(18, 0)}:47`,
    ]);
    expect(alerts.every((a) => a.source === 'derived')).toBe(true);
    expect(again).toEqual([]);
  });
});

describe('describeStatus (what the page says is missing)', () => {
  const ok = { state: 'ok' as const };

  it.each([
    ['local', 'missing', 'does not exist: module 2 is not deployed', 'npm run deploy -- 2'],
    ['aws', 'missing', 'does not exist: module 2 is not deployed', 'npm run deploy -- 2 --target aws'],
    ['local', 'empty', 'No data yet', 'npm run producer -- --name Shadowfax --duration 60'],
    [
      'local',
      'unreachable',
      'The local cloud is stopped: nothing answers at http://127.0.0.1:4566',
      'npm start',
    ],
    ['local', 'checking', 'Reading the local cloud at http://127.0.0.1:4566…', undefined],
  ] as const)('%s, stream %s: says "%s" and to run `%s`', (target, state, message, fix) => {
    // Act
    const status = describeStatus(
      target,
      target === 'local' ? 'the local cloud at http://127.0.0.1:4566' : 'AWS (eu-west-1)',
      { raw: { state }, table: ok, alerts: ok },
      target === 'local' ? 'topic' : 'derived',
    );

    // Assess
    expect(status.raw.message).toContain(message);
    expect(status.raw.fix).toBe(fix);
  });

  it('says module 4 is not deployed when the table is missing, and where alerts come from', () => {
    // Act
    const status = describeStatus(
      'aws',
      'AWS (eu-west-1)',
      { raw: ok, table: { state: 'missing' }, alerts: ok },
      'derived',
    );

    // Assess
    expect(status.table).toMatchObject({ state: 'missing', fix: 'npm run deploy -- 4 --target aws' });
    expect(status.alerts.message).toContain('derived here from the raw stream');
  });
});
