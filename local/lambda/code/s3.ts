/** Deployment packages kept in S3 (`Code.S3Bucket`/`S3Key`), read from the local cloud's S3. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Where a package is: an S3 object (and optionally one version of it). */
export interface S3CodeLocation {
  bucket: string;
  key: string;
  version?: string;
}

/** The package could not be read from S3 (the API answers `InvalidParameterValueException`). */
export class CodeSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeSourceError';
  }
}

/** Reads a package's bytes; an S3 error becomes a `CodeSourceError` worded as Lambda words it. */
export async function readS3Code(s3: S3Client, where: S3CodeLocation): Promise<Uint8Array> {
  try {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: where.bucket, Key: where.key, VersionId: where.version }),
    );
    if (!out.Body) throw new Error('the object has no body');
    return await out.Body.transformToByteArray();
  } catch (err) {
    const code = (err as { name?: string }).name ?? 'InternalError';
    throw new CodeSourceError(
      `Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${(err as Error).message}`,
    );
  }
}
