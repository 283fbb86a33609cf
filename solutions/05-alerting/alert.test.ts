import { describe, expect, it } from 'vitest';
import { status } from '../../testing/streams.ts';
import { type AlertState, alertMessage, detectAlerts } from './alert.ts';

const WINDOW = '2026-11-22 09:17:00.000';
const at = (second: number) => `2026-11-22 09:17:${String(second).padStart(2, '0')}.000`;

describe('detectAlerts', () => {
  it.each([
    ['a healthy unicorn', [status({ MagicPoints: 120 })], {}, []],
    ['exactly 50 points (not below)', [status({ MagicPoints: 50 })], {}, []],
    ['49 points', [status({ MagicPoints: 49, StatusTime: at(1) })], {}, [`Shadowfax@${at(1)}`]],
    [
      'one tired unicorn sending many records (one alert, for the first)',
      [
        status({ MagicPoints: 49, StatusTime: at(1) }),
        status({ MagicPoints: 48, StatusTime: at(2) }),
        status({ MagicPoints: 47, StatusTime: at(3) }),
      ],
      {},
      [`Shadowfax@${at(1)}`],
    ],
    [
      'two tired unicorns (one alert each)',
      [
        status({ Name: 'Rocinante', MagicPoints: 40, StatusTime: at(1) }),
        status({ MagicPoints: 49, StatusTime: at(2) }),
        status({ Name: 'Rocinante', MagicPoints: 39, StatusTime: at(3) }),
      ],
      {},
      [`Rocinante@${at(1)}`, `Shadowfax@${at(2)}`],
    ],
    ['a unicorn already alerted in this window', [status({ MagicPoints: 30 })], { Shadowfax: at(0) }, []],
    [
      'another unicorn than the one already alerted',
      [status({ Name: 'Rocinante', MagicPoints: 30, StatusTime: at(5) })],
      { Shadowfax: at(0) },
      [`Rocinante@${at(5)}`],
    ],
  ])('%s', (_, statuses, state: AlertState, expected) => {
    // Act
    const result = detectAlerts(state, statuses, WINDOW);

    // Assess
    expect(result.alerts.map((a) => `${a.Name}@${a.StatusTime}`)).toEqual(expected);
    for (const a of result.alerts) expect(a.windowStart).toBe(WINDOW);
  });

  it('sends one alert per unicorn per window across invocations, however the window is split', () => {
    // Prepare: a unicorn below 50 for a whole window of 60 records, in batches of 7.
    const statuses = Array.from({ length: 60 }, (_, i) =>
      status({ MagicPoints: 45 - (i % 3), StatusTime: at(i) }),
    );

    // Act
    let state: AlertState = {};
    const alerts = [];
    for (let i = 0; i < statuses.length; i += 7) {
      const result = detectAlerts(state, statuses.slice(i, i + 7), WINDOW);
      state = result.state;
      alerts.push(...result.alerts);
    }

    // Assess
    expect(alerts).toHaveLength(1);
    expect(state).toEqual({ Shadowfax: at(0) });
  });

  it('alerts again in the next window (Lambda starts each window with an empty state)', () => {
    // Prepare
    const first = detectAlerts({}, [status({ MagicPoints: 40 })], WINDOW);

    // Act
    const next = detectAlerts({}, [status({ MagicPoints: 39 })], '2026-11-22 09:18:00.000');

    // Assess
    expect(first.alerts).toHaveLength(1);
    expect(next.alerts).toHaveLength(1);
  });

  it('does not change the state it is given (Lambda may retry with it)', () => {
    // Prepare
    const state: AlertState = {};

    // Act
    detectAlerts(state, [status({ MagicPoints: 1 })], WINDOW);

    // Assess
    expect(state).toEqual({});
  });
});

describe('alertMessage', () => {
  it('names the unicorn in the subject and gives the details in the body', () => {
    // Act
    const message = alertMessage({
      Name: 'Rocinante',
      MagicPoints: 48,
      StatusTime: at(8),
      windowStart: WINDOW,
    });

    // Assess
    expect(message.Subject).toBe('Wild Rydes alert: Rocinante is low on magic');
    expect(message.Message).toContain("Rocinante's magic points fell to 48, below 50");
    expect(message.Message).toContain(WINDOW);
  });

  it('keeps the subject within the 100 characters SNS allows', () => {
    // Act
    const message = alertMessage({
      Name: 'x'.repeat(90),
      MagicPoints: 1,
      StatusTime: at(1),
      windowStart: WINDOW,
    });

    // Assess
    expect(message.Subject.length).toBeLessThan(100);
  });
});
