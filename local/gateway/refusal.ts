import { randomUUID } from 'node:crypto';
import type { GatewayResponse } from '../types.ts';

/** Services that speak AWS's query protocol (XML errors) whatever the request's content type. */
const QUERY_SERVICES = new Set(['sns', 'sts', 'iam', 'cloudformation']);

const escapeXmlText = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An error as `service` answers it, so every SDK and the aws CLI parse its code and message:
 * S3's `<Error>`, the query protocol's `<ErrorResponse>` (SNS, STS, IAM, CloudFormation, SQS
 * when form-encoded), else JSON with `x-amzn-errortype` (Kinesis, DynamoDB, SQS, Lambda, …).
 */
export function refusal(
  service: string | undefined,
  contentType: string | undefined,
  status: number,
  code: string,
  message: string,
): GatewayResponse {
  const requestId = randomUUID();
  if (service === 's3') {
    return {
      status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXmlText(code)}</Code><Message>${escapeXmlText(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
    };
  }
  const form = contentType?.startsWith('application/x-www-form-urlencoded') ?? false;
  if ((service && QUERY_SERVICES.has(service)) || form) {
    return {
      status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXmlText(code)}</Code><Message>${escapeXmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ __type: code, message }),
  };
}
