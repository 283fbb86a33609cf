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
