import { describe, expect, it } from 'vitest';
import { parseConsumerArgs } from './consumer.ts';

describe('parseConsumerArgs', () => {
  it.each(['../x', 'a/b', 'x'.repeat(129)])(
    'refuses --stream %s as bad input, exit code 2',
    async (stream) => {
      // Act & Assess
      await expect(parseConsumerArgs(['--stream', stream])).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('is not a stream name'),
      });
    },
  );
});
