/** SSM Parameter Store's errors, named as its JSON API names them (the SDK's exception classes). */

export type SsmErrorCode =
  | 'ParameterNotFound'
  | 'ParameterAlreadyExists'
  | 'ParameterVersionNotFound'
  | 'ParameterPatternMismatchException'
  | 'InvalidAllowedPatternException'
  | 'HierarchyLevelLimitExceededException'
  | 'InvalidFilterKey'
  | 'InvalidFilterOption'
  | 'InvalidNextToken'
  | 'ValidationException';

/** A request Parameter Store refuses; all of them are 400s. */
export class SsmError extends Error {
  readonly status = 400;
  constructor(
    readonly code: SsmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SsmError';
  }
}

/** AWS's wording of a constraint violation (`ValidationException`). */
export const invalid = (member: string, value: unknown, constraint: string): SsmError =>
  new SsmError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member ${constraint}`,
  );
