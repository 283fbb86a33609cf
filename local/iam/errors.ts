/** IAM's errors, as its query API names them, with the HTTP status AWS answers each with. */

/** IAM's error codes the local store raises, with their HTTP status (as the SDK's IAM model declares them). */
export const IAM_ERROR_STATUS = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  ValidationError: 400,
  InvalidInput: 400,
  AccessDenied: 403,
} as const;

export type IamErrorCode = keyof typeof IAM_ERROR_STATUS;

/** A request IAM refuses: `code` is the error code AWS answers (the SDK's `…Exception` is named after it). */
export class IamError extends Error {
  readonly status: number;
  constructor(
    readonly code: IamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IamError';
    this.status = IAM_ERROR_STATUS[code];
  }
}
