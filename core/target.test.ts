import { describe, expect, it } from 'vitest';
import { targetConfig } from './target.ts';

describe('targetConfig', () => {
  it.each([
    ['local', { AWS_ENDPOINT_URL: 'garbage' }, "AWS_ENDPOINT_URL 'garbage' is not a URL"],
    ['local', { WILDRYDES_ENDPOINT: 'ftp://x' }, "WILDRYDES_ENDPOINT 'ftp://x' is not a URL"],
    ['aws', { AWS_ENDPOINT_URL: 'garbage' }, "AWS_ENDPOINT_URL 'garbage' is not a URL"],
  ] as const)(
    'refuses a %s endpoint that is not a URL (%j) as bad input, exit code 2',
    (target, env, message) => {
      // Act & Assess
      expect(() => targetConfig(target, {}, env)).toThrow(
        expect.objectContaining({ exitCode: 2, message: expect.stringContaining(message) }),
      );
    },
  );

  it('signs with the secret of an --allow-remote cloud when WILDRYDES_TOKEN is set', () => {
    // Act
    const { clientConfig } = targetConfig('local', {}, { WILDRYDES_TOKEN: 's3cret' });

    // Assess
    expect(clientConfig.credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 's3cret' });
  });
});
