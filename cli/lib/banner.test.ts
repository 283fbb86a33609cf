import { describe, expect, it } from 'vitest';
import { bannerText } from './banner.ts';

describe('bannerText', () => {
  it('points this machine at the loopback endpoint with the dummy credentials', () => {
    // Act
    const text = bannerText({ endpoint: 'http://127.0.0.1:4566', host: '127.0.0.1', port: 4566 });

    // Assess
    expect(text).toMatch(/export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:4566/);
    expect(text).toMatch(/AWS_SECRET_ACCESS_KEY=test/);
    expect(text).not.toMatch(/allow-remote/);
  });

  it('with --allow-remote, warns, never exports 0.0.0.0, and gives other machines the secret', () => {
    // Act
    const text = bannerText({
      endpoint: 'http://0.0.0.0:4702',
      host: '0.0.0.0',
      port: 4702,
      secret: 'S3CRET',
    });

    // Assess
    expect(text).not.toMatch(/0\.0\.0\.0/);
    expect(text).toMatch(/⚠ --allow-remote/);
    expect(text).toMatch(/export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:4702/);
    expect(text).toMatch(/AWS_SECRET_ACCESS_KEY=S3CRET/);
    expect(text).toMatch(/export WILDRYDES_TOKEN=S3CRET/);
  });
});
