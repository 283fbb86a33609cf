/**
 * How the workshop reaches its local cloud: LocalStack's conventions (one endpoint on port 4566,
 * region us-east-1, account 000000000000, dummy credentials). The local cloud answers as this
 * identity, and every client of the workshop signs as it.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const DEFAULT_PORT = 4566;
