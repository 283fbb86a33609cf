import type { GatewayResponse, ServiceHandler } from '../../types.ts';
import { CodeSourceError } from '../code/s3.ts';
import { InvalidZipError } from '../code/zip.ts';
import { isWritable, type LambdaApiBackend } from './backend.ts';
import {
  FunctionNotFoundError,
  InvalidMappingError,
  LambdaApiError,
  MappingNotFoundError,
} from './errors.ts';
import { functionReadRoutes, functionWriteRoutes } from './functions.ts';
import { lambdaError, type Route } from './http.ts';
import { invokeHandler } from './invoke.ts';
import { mappingReadRoutes, mappingWriteRoutes } from './mappings.ts';
import { permissionWriteRoutes, policyReadRoutes } from './permissions.ts';

export type { LambdaApiBackend, LambdaApiReader, LambdaApiWriter } from './backend.ts';
export { lambdaError } from './http.ts';

const SUPPORTED =
  'CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction, Invoke, AddPermission, RemovePermission, GetPolicy, and Create/Get/List/Update/DeleteEventSourceMapping';

const READ_ONLY =
  'ListFunctions, GetFunction, GetFunctionConfiguration, Invoke, GetPolicy, ListEventSourceMappings and GetEventSourceMapping';

/** The answer for an error a route threw: AWS's error type and status for what we know. */
function errorResponse(err: unknown): GatewayResponse {
  if (err instanceof LambdaApiError) return lambdaError(err.status, err.type, err.message);
  if (err instanceof FunctionNotFoundError || err instanceof MappingNotFoundError) {
    return lambdaError(404, 'ResourceNotFoundException', err.message);
  }
  if (
    err instanceof InvalidMappingError ||
    err instanceof InvalidZipError ||
    err instanceof CodeSourceError
  ) {
    return lambdaError(400, 'InvalidParameterValueException', err.message);
  }
  return lambdaError(500, 'ServiceException', (err as Error).message);
}

/**
 * The Lambda API over REST-JSON at the 2015-03-31 paths @aws-sdk/client-lambda and the `aws` CLI
 * use: functions (from zips, uploaded or in S3), their policies, event source mappings, Invoke.
 * Every change goes through the same LambdaService paths as the deployer's.
 */
export function lambdaApi(backend: LambdaApiBackend): ServiceHandler {
  const routes: Route[] = [
    ...functionReadRoutes(backend),
    ['POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, invokeHandler(backend)],
    ...policyReadRoutes(backend),
    ...mappingReadRoutes(backend),
    // A backend of fixed records (a check's test) serves the read side only.
    ...(isWritable(backend)
      ? [...functionWriteRoutes(backend), ...permissionWriteRoutes(backend), ...mappingWriteRoutes(backend)]
      : []),
  ];

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
        `the local cloud's Lambda serves ${isWritable(backend) ? SUPPORTED : READ_ONLY}; not ${req.method} ${path}`,
      );
    } catch (err) {
      return errorResponse(err);
    }
  };
}
