import { createServer } from 'node:http';
import kinesalite from 'kinesalite';
import { describe, expect, it } from 'vitest';
import type { GatewayRequest } from '../types.ts';
import { dispatchInProcess } from './in-process.ts';

const request = (overrides: Partial<GatewayRequest> = {}): GatewayRequest => ({
  service: 'kinesis',
  method: 'POST',
  url: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: Buffer.from('{}'),
  ...overrides,
});

describe('dispatchInProcess', () => {
  it('gives the handler the method, url, headers and body, and returns its answer', async () => {
    // Prepare: a server that never listens; its handler echoes what it read
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.statusCode = 201;
        res.setHeader('X-Echo-Method', req.method ?? '');
        res.setHeader('Content-Length', 99);
        res.end(
          JSON.stringify({
            url: req.url,
            target: req.headers['x-amz-target'],
            body: `${Buffer.concat(chunks)}`,
          }),
        );
      });
    });

    // Act
    const out = await dispatchInProcess(
      server,
      request({
        url: '/?a=1',
        headers: { 'x-amz-target': 'Kinesis_20131202.ListStreams' },
        body: Buffer.from('hi'),
      }),
    );

    // Assess
    expect(out.status).toBe(201);
    expect(out.headers).toEqual({ 'x-echo-method': 'POST' });
    expect(JSON.parse(String(out.body))).toEqual({
      url: '/?a=1',
      target: 'Kinesis_20131202.ListStreams',
      body: 'hi',
    });
  });

  it('sends no data event for an empty body, as a socket would not', async () => {
    // Prepare
    let dataEvents = 0;
    const server = createServer((req, res) => {
      req.on('data', () => dataEvents++);
      req.on('end', () => res.end('done'));
    });

    // Act
    const out = await dispatchInProcess(server, request({ body: Buffer.alloc(0) }));

    // Assess
    expect(out.body).toBe('done');
    expect(dataEvents).toBe(0);
  });

  it('rejects when the handler throws, so the gateway answers 502 instead of hanging', async () => {
    // Prepare
    const server = createServer((req) => {
      req.on('end', () => {
        throw new Error('emulator bug');
      });
    });

    // Act / Assess
    await expect(dispatchInProcess(server, request())).rejects.toThrow('emulator bug');
  });

  it('runs a real kinesalite call: CreateStream, then ListStreams names it', async () => {
    // Prepare
    const server = kinesalite({ createStreamMs: 0 });
    const call = (target: string, body: unknown) =>
      dispatchInProcess(
        server,
        request({
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `Kinesis_20131202.${target}`,
            authorization:
              'AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
            'x-amz-date': '20261122T091708Z',
          },
          body: Buffer.from(JSON.stringify(body)),
        }),
      );

    // Act
    const created = await call('CreateStream', { StreamName: 'in-process', ShardCount: 1 });
    const listed = await call('ListStreams', {});

    // Assess
    expect(created.status).toBe(200);
    expect(JSON.parse(String(listed.body)).StreamNames).toEqual(['in-process']);
  });
});
