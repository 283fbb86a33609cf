import { describe, expect, it } from 'vitest';
import type { GatewayRequest } from '../../types.ts';
import { type LambdaApiBackend, lambdaApi } from './api.ts';
import type { LambdaApiWriter } from './backend.ts';

const reader: LambdaApiBackend = {
  functionRecords: () => [],
  mappingRecords: () => [],
  invokeText: async () => {
    throw new Error('not invoked');
  },
  note: () => {},
};

const writer: LambdaApiWriter = {
  putFunction: async () => undefined,
  deleteFunction: async () => {},
  putEventSourceMapping: async () => ({ uuid: 'u' }),
  deleteEventSourceMapping: async () => {},
  setPolicy: () => {},
  unpack: async () => '/nowhere',
  release: async () => {},
  readS3: async () => new Uint8Array(),
};

const request = (method: string, url: string, body = ''): GatewayRequest => ({
  service: 'lambda',
  method,
  url,
  headers: {},
  body: Buffer.from(body),
});

const errorType = (res: { headers?: Record<string, string> }) => res.headers?.['x-amzn-errortype'];

describe('lambdaApi routing', () => {
  it.each<[string, LambdaApiBackend, GatewayRequest, number, string | undefined]>([
    ['lists functions from a reader', reader, request('GET', '/2015-03-31/functions/'), 200, undefined],
    [
      'does not create functions with a reader alone (fixed records)',
      reader,
      request('POST', '/2015-03-31/functions', '{}'),
      404,
      'UnknownOperationException',
    ],
    [
      'refuses a body that is not JSON',
      { ...reader, ...writer },
      request('POST', '/2015-03-31/functions', '{oops'),
      400,
      'SerializationException',
    ],
    [
      'refuses a member of the wrong type',
      { ...reader, ...writer },
      request('POST', '/2015-03-31/functions', '{"FunctionName":42}'),
      400,
      'SerializationException',
    ],
    [
      'answers an operation it does not serve',
      { ...reader, ...writer },
      request('POST', '/2015-03-31/functions/f/versions'),
      404,
      'UnknownOperationException',
    ],
  ])('%s', async (_, backend, req, status, type) => {
    // Act
    const res = await lambdaApi(backend)(req);

    // Assess
    expect(res.status).toBe(status);
    expect(errorType(res)).toBe(type);
  });
});
