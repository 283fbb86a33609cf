import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { type ProducerArgs, resolveOptions } from './options.ts';

describe('resolveOptions', () => {
  it('defaults to Shadowfax on the wildrydes stream, 1 record/s, until Ctrl-C', () => {
    // Act
    const config = resolveOptions({});

    // Assess
    expect(config).toMatchObject({
      names: ['Shadowfax'],
      tired: [],
      stream: 'wildrydes',
      rate: 1,
      ticks: Number.POSITIVE_INFINITY,
      seed: 1,
      dryRun: false,
      quiet: false,
    });
  });

  it.each<[ProducerArgs, Partial<ReturnType<typeof resolveOptions>>]>([
    [{ name: ['Shadowfax', 'Rocinante'] }, { names: ['Shadowfax', 'Rocinante'] }],
    [{ name: 'Epona' }, { names: ['Epona'] }],
    [{ unicorns: 3 }, { names: ['Shadowfax', 'Rocinante', 'Bucephalus'] }],
    [{ unicorns: 3, tired: 'Rocinante' }, { tired: ['Rocinante'] }],
    [{ count: 120 }, { ticks: 120 }],
    [
      { duration: 60, rate: 2 },
      { ticks: 120, rate: 2 },
    ],
    [{ duration: 0.2 }, { ticks: 1 }],
    [{ endpoint: 'http://127.0.0.1:4566' }, { endpoint: 'http://127.0.0.1:4566' }],
    [
      { seed: -5, dryRun: true, quiet: true },
      { seed: -5, dryRun: true, quiet: true },
    ],
  ])('reads %j', (args, expected) => {
    // Act & Assess
    expect(resolveOptions(args)).toMatchObject(expected);
  });

  it.each<[ProducerArgs, RegExp]>([
    [{ rate: 0 }, /--rate must be .* above 0/],
    [{ rate: -1 }, /--rate must be/],
    [{ rate: Number.NaN }, /--rate must be/],
    [{ rate: [1, 2] }, /--rate is given more than once/],
    [{ count: 0 }, /--count must be a whole number/],
    [{ count: 1.5 }, /--count must be a whole number/],
    [{ duration: -3 }, /--duration must be a number of seconds above 0/],
    [{ count: 5, duration: 5 }, /either --count or --duration/],
    [{ unicorns: 0 }, /--unicorns must be a whole number from 1/],
    [{ unicorns: 2, name: 'Epona' }, /either --name or --unicorns/],
    [{ name: '' }, /--name needs a unicorn's name/],
    [{ name: ['Epona', 'Epona'] }, /given twice/],
    [{ name: 'x'.repeat(257) }, /too long/],
    [{ tired: 'Epona' }, /--tired Epona is not one of the unicorns \(Shadowfax\)/],
    [{ seed: 1.5 }, /--seed must be a whole number/],
    [{ stream: 'no spaces' }, /is not a stream name/],
    [{ endpoint: '127.0.0.1:4566' }, /--endpoint '127.0.0.1:4566' is not a URL/],
    [{ region: '' }, /--region needs a value/],
  ])('rejects %j with a usage error naming the fix', (args, message) => {
    // Act
    const resolve = () => resolveOptions(args);

    // Assess
    expect(resolve).toThrow(UsageError);
    expect(resolve).toThrow(message);
  });
});
