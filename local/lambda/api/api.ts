import { pathToFileURL } from 'node:url';
import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../../types.ts';
import { parseFunctionName } from '../arn.ts';
import type { InvokeResult } from '../runtime/host.ts';
import { logTail } from '../runtime/logs.ts';
import { FunctionNotFoundError, InvalidMappingError, MappingNotFoundError } from './errors.ts';
import {
  type FunctionRecord,
  functionConfiguration,
  type MappingRecord,
  mappingConfiguration,
} from './shapes.ts';

/** What the Lambda API reads from and invokes through (the LambdaService). */
export interface LambdaApiBackend {
  functionRecords(): FunctionRecord[];
  mappingRecords(): MappingRecord[];
  /** Invokes a function with an event given as JSON text; throws `FunctionNotFoundError`. */
  invokeText(name: string, event: string, opts?: { clientContext?: unknown }): Promise<InvokeResult>;
  /** Where an `Event` invocation's failure is reported (nobody waits for it). */
  note(line: string): void;
}

/** Lambda's synchronous payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const SUPPORTED =
  'ListFunctions, GetFunction, GetFunctionConfiguration, Invoke, ListEventSourceMappings and GetEventSourceMapping';

/** An error in the shape Lambda sends: the SDK throws an exception named `type`. */
export function lambdaError(status: number, type: string, message: string): GatewayResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: status < 500 ? 'User' : 'Service', Message: message, message }),
  };
}

const json = (body: unknown, status = 200): GatewayResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** One page of a list, with Lambda's `Marker`/`MaxItems` paging (the marker is an offset). */
function page<T>(items: T[], query: URLSearchParams, defaultMax: number): { items: T[]; next?: string } {
  const start = Number.parseInt(query.get('Marker') ?? '0', 10) || 0;
  const max = Math.min(Math.max(Number.parseInt(query.get('MaxItems') ?? '', 10) || defaultMax, 1), 10_000);
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length && { next: String(end) }) };
}

/**
 * The read side of the Lambda API and Invoke, over REST-JSON at the paths @aws-sdk/client-lambda
 * uses, so a check inspects functions and mappings the same way on AWS and locally.
 */
export function lambdaApi(backend: LambdaApiBackend): ServiceHandler {
  const findFunction = (raw: string, query: URLSearchParams): FunctionRecord => {
    const { name, qualifier = query.get('Qualifier') ?? undefined } = parseFunctionName(
      decodeURIComponent(raw),
    );
    const found = backend.functionRecords().find((f) => f.def.name === name);
    if (!found) throw new FunctionNotFoundError(name);
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      // The local cloud deploys $LATEST only: no versions, no aliases.
      throw new FunctionNotFoundError(`${name}:${qualifier}`);
    }
    return found;
  };

  const routes: [
    string,
    RegExp,
    (m: string[], req: GatewayRequest, q: URLSearchParams) => Promise<GatewayResponse>,
  ][] = [
    [
      'GET',
      /^\/2015-03-31\/functions\/?$/,
      async (_m, _req, q) => {
        const { items, next } = page(backend.functionRecords(), q, 50);
        return json({ Functions: items.map(functionConfiguration), ...(next && { NextMarker: next }) });
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/?$/,
      async ([name = ''], _req, q) => {
        const f = findFunction(name, q);
        return json({
          Configuration: functionConfiguration(f),
          // Where the bundled code is: on AWS a presigned S3 URL, here the asset directory.
          Code: { RepositoryType: 'S3', Location: pathToFileURL(f.def.codeDir).href },
        });
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/,
      async ([name = ''], _req, q) => json(functionConfiguration(findFunction(name, q))),
    ],
    ['POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, invoke],
    [
      'GET',
      /^\/2015-03-31\/event-source-mappings\/?$/,
      async (_m, _req, q) => {
        const fn = q.get('FunctionName');
        const name = fn ? parseFunctionName(fn).name : undefined;
        const arn = q.get('EventSourceArn');
        const matching = backend
          .mappingRecords()
          .filter(
            (m) => (name === undefined || m.functionName === name) && (!arn || m.def.eventSourceArn === arn),
          );
        const { items, next } = page(matching, q, 100);
        return json({
          EventSourceMappings: items.map(mappingConfiguration),
          ...(next && { NextMarker: next }),
        });
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
      async ([uuid = '']) => {
        const found = backend.mappingRecords().find((m) => m.def.uuid === decodeURIComponent(uuid));
        if (!found) throw new MappingNotFoundError(uuid);
        return json(mappingConfiguration(found));
      },
    ],
  ];

  async function invoke(
    [raw = '']: string[],
    req: GatewayRequest,
    q: URLSearchParams,
  ): Promise<GatewayResponse> {
    const { def } = findFunction(raw, q);
    const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (req.body.length > MAX_PAYLOAD_BYTES) {
      return lambdaError(
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    const text = req.body.length > 0 ? req.body.toString('utf8') : '{}';
    try {
      JSON.parse(text);
    } catch (err) {
      return lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(err as Error).message}`,
      );
    }
    let clientContext: unknown;
    const encoded = req.headers['x-amz-client-context'];
    if (encoded) {
      try {
        clientContext = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      } catch {
        return lambdaError(400, 'InvalidRequestContentException', 'Client context must be valid Base64 JSON');
      }
    }
    const headers = { 'x-amz-executed-version': '$LATEST' };
    if (type === 'DryRun') return { status: 204, headers };
    if (type === 'Event') {
      void backend
        .invokeText(def.name, text, { clientContext })
        .then((r) => {
          if (r.functionError)
            backend.note(`[${def.name}] asynchronous invocation ${r.requestId} failed: ${r.payload}`);
        })
        .catch((err) =>
          backend.note(`[${def.name}] asynchronous invocation failed: ${(err as Error).message}`),
        );
      return { status: 202, headers, body: '' };
    }
    if (type !== 'RequestResponse') {
      return lambdaError(400, 'InvalidParameterValueException', `Unsupported InvocationType: ${type}`);
    }
    const result = await backend.invokeText(def.name, text, { clientContext });
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...headers,
        ...(result.functionError && { 'x-amz-function-error': result.functionError }),
        ...(req.headers['x-amz-log-type'] === 'Tail' && { 'x-amz-log-result': logTail(result.logs) }),
      },
      body: result.payload,
    };
  }

  return async (req) => {
    const [path = '', search = ''] = req.url.split('?');
    const query = new URLSearchParams(search);
    try {
      for (const [method, pattern, handle] of routes) {
        const match = pattern.exec(path);
        if (match && req.method === method) return await handle(match.slice(1), req, query);
      }
      return lambdaError(
        404,
        'UnknownOperationException',
        `the local cloud's Lambda serves ${SUPPORTED}; functions and mappings are deployed from the CDK app (npm run deploy)`,
      );
    } catch (err) {
      if (err instanceof FunctionNotFoundError || err instanceof MappingNotFoundError) {
        return lambdaError(404, 'ResourceNotFoundException', err.message);
      }
      if (err instanceof InvalidMappingError)
        return lambdaError(400, 'InvalidParameterValueException', err.message);
      return lambdaError(500, 'ServiceException', (err as Error).message);
    }
  };
}
