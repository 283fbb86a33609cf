import { functionArn } from '../arn.ts';

/** No function by that name is deployed (the API answers `ResourceNotFoundException`). */
export class FunctionNotFoundError extends Error {
  constructor(readonly functionName: string) {
    super(`Function not found: ${functionArn(functionName)}`);
    this.name = 'FunctionNotFoundError';
  }
}

/** No event source mapping has that UUID (the API answers `ResourceNotFoundException`). */
export class MappingNotFoundError extends Error {
  constructor(readonly uuid: string) {
    super('The resource you requested does not exist.');
    this.name = 'MappingNotFoundError';
  }
}

/** A mapping the local Lambda cannot run as given (the API answers `InvalidParameterValueException`). */
export class InvalidMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMappingError';
  }
}

/** A request the Lambda API refuses, with the HTTP status and error type AWS answers it with. */
export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'LambdaApiError';
  }
}

/** `InvalidParameterValueException`: Lambda's own checks of a request. */
export const invalidParameter = (message: string): LambdaApiError =>
  new LambdaApiError(400, 'InvalidParameterValueException', message);

/** `ResourceConflictException`: the resource exists already, or is busy. */
export const resourceConflict = (message: string): LambdaApiError =>
  new LambdaApiError(409, 'ResourceConflictException', message);

/** `ResourceNotFoundException`. */
export const resourceNotFound = (message: string): LambdaApiError =>
  new LambdaApiError(404, 'ResourceNotFoundException', message);

/**
 * `ValidationException`: a member breaks a constraint of the API model (a range, a pattern),
 * worded as AWS words it: `1 validation error detected: Value '0' at 'timeout' failed to …`.
 */
export function validationError(value: unknown, member: string, constraint: string): LambdaApiError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new LambdaApiError(
    400,
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** `value` if it is absent or within [min, max]; a `ValidationException` for `member` otherwise. */
export function checkRange(
  value: number | undefined,
  member: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (value < min)
    throw validationError(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw validationError(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}
