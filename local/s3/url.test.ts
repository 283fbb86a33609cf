import { describe, expect, it } from 'vitest';
import { parseS3ObjectUrl } from './url.ts';

describe('parseS3ObjectUrl', () => {
  it.each([
    ['https://s3.amazonaws.com/b/t.json', 'b', 't.json'],
    ['https://s3.us-east-1.amazonaws.com/b/cdk/t.json', 'b', 'cdk/t.json'],
    ['https://s3-us-east-1.amazonaws.com/b/t.json', 'b', 't.json'],
    ['https://s3.dualstack.us-east-1.amazonaws.com/b/t.json', 'b', 't.json'],
    ['https://b.s3.amazonaws.com/dir/t.json', 'b', 'dir/t.json'],
    ['https://my.dotted.bucket.s3.us-east-1.amazonaws.com/t.json', 'my.dotted.bucket', 't.json'],
    ['https://b.s3-us-east-1.amazonaws.com/t.json', 'b', 't.json'],
    ['http://127.0.0.1:4566/b/a%20b.json', 'b', 'a b.json'],
    ['http://localhost:4566/b/t.json', 'b', 't.json'],
    ['http://b.localhost:4566/t.json', 'b', 't.json'],
    ['http://b.s3.localhost.localstack.cloud:4566/t.json', 'b', 't.json'],
    ['s3://b/k/t.json', 'b', 'k/t.json'],
  ])('%s', (url, bucket, key) => {
    // Act / Assess
    expect(parseS3ObjectUrl(url)).toEqual({ bucket, key });
  });

  it.each([['not a url'], ['ftp://b/t.json'], ['https://s3.amazonaws.com/b'], ['http://127.0.0.1:4566/']])(
    'names no object: %s',
    (url) => {
      // Act / Assess
      expect(parseS3ObjectUrl(url)).toBeUndefined();
    },
  );
});
