import { describe, expect, it } from 'vitest';
import { decodeS3Key } from '../../modules/01-file-processing/shared/object-event.ts';
import { deletedBucketOf, encodeEventKey, eventBridgeSettingOf, objectWriteOf } from './s3-events.ts';

const req = (method: string, url: string, headers: Record<string, string> = {}) => ({
  method,
  url,
  headers: { host: '127.0.0.1:4566', ...headers },
  body: Buffer.alloc(0),
});

describe('objectWriteOf', () => {
  it.each([
    ['PutObject', req('PUT', '/notes/a.md'), 200, { bucket: 'notes', key: 'a.md', reason: 'PutObject' }],
    [
      'an encoded key',
      req('PUT', '/notes/dir/red%20flower.md?x-id=PutObject'),
      200,
      { bucket: 'notes', key: 'dir/red flower.md', reason: 'PutObject' },
    ],
    [
      'CopyObject',
      req('PUT', '/notes/b.md', { 'x-amz-copy-source': '/notes/a.md' }),
      200,
      { bucket: 'notes', key: 'b.md', reason: 'CopyObject' },
    ],
    [
      'CompleteMultipartUpload',
      req('POST', '/notes/big.md?uploadId=abc'),
      200,
      { bucket: 'notes', key: 'big.md', reason: 'CompleteMultipartUpload' },
    ],
    [
      'virtual-hosted style',
      req('PUT', '/a.md', { host: 'notes.localhost:4566' }),
      200,
      { bucket: 'notes', key: 'a.md', reason: 'PutObject' },
    ],
    ['a failed PutObject', req('PUT', '/notes/a.md'), 404, undefined],
    ['UploadPart', req('PUT', '/notes/big.md?partNumber=1&uploadId=abc'), 200, undefined],
    ['CreateMultipartUpload', req('POST', '/notes/big.md?uploads'), 200, undefined],
    ['PutObjectTagging', req('PUT', '/notes/a.md?tagging'), 200, undefined],
    ['CreateBucket', req('PUT', '/notes'), 200, undefined],
    ['GetObject', req('GET', '/notes/a.md'), 200, undefined],
    ['DeleteObject', req('DELETE', '/notes/a.md'), 204, undefined],
  ])('%s', (_, request, status, expected) => {
    // Assess
    expect(objectWriteOf(request, status)).toEqual(expected);
  });
});

describe('bucket settings', () => {
  it.each([
    [
      'EventBridge on',
      '<NotificationConfiguration><EventBridgeConfiguration/></NotificationConfiguration>',
      true,
    ],
    ['EventBridge off', '<NotificationConfiguration></NotificationConfiguration>', false],
  ])('reads PutBucketNotificationConfiguration with %s', (_, xml, enabled) => {
    // Prepare
    const request = { ...req('PUT', '/notes?notification'), body: Buffer.from(xml) };

    // Assess
    expect(eventBridgeSettingOf(request, 200)).toEqual({ bucket: 'notes', enabled });
  });

  it('sees a deleted bucket', () => {
    // Assess
    expect(deletedBucketOf(req('DELETE', '/notes'), 204)).toBe('notes');
    expect(deletedBucketOf(req('DELETE', '/notes/a.md'), 204)).toBeUndefined();
  });
});

describe('encodeEventKey', () => {
  it.each([
    ['plain.md', 'plain.md'],
    ['dir/sub/notes.md', 'dir/sub/notes.md'],
    ['red flower.md', 'red+flower.md'],
    ['c++ notes.md', 'c%2B%2B+notes.md'],
    ['50% (draft).md', '50%25+%28draft%29.md'],
    ['Zoë.md', 'Zo%C3%AB.md'],
  ])('encodes %s as S3 does in events, and the handlers decode it back', (key, encoded) => {
    // Assess
    expect(encodeEventKey(key)).toBe(encoded);
    expect(decodeS3Key(encoded)).toBe(key);
  });
});
