/**
 * Which AWS service a request is for. SDKs sign every request with SigV4, whose credential
 * scope names the service (`AKID/20261123/us-east-1/kinesis/aws4_request`); presigned URLs
 * carry it in `X-Amz-Credential`. Unsigned JSON calls still name their API in `X-Amz-Target`.
 */
export function serviceOf(headers: Record<string, string | undefined>, url: string): string | undefined {
  const fromScope = (credential: string) => credential.split('/')[3];
  const auth = headers.authorization;
  const match = auth ? /Credential=([^,\s]+)/.exec(auth) : null;
  if (match?.[1]) return fromScope(match[1]);
  const query = url.indexOf('?');
  if (query >= 0) {
    const credential = new URLSearchParams(url.slice(query + 1)).get('X-Amz-Credential');
    if (credential) return fromScope(credential);
  }
  const target = headers['x-amz-target'];
  if (target) return targetServices.find(([prefix]) => target.startsWith(prefix))?.[1];
  return undefined;
}

const targetServices: [string, string][] = [
  ['Kinesis_', 'kinesis'],
  ['DynamoDB_', 'dynamodb'],
  ['AmazonSQS', 'sqs'],
  ['AWSEvents', 'events'],
  ['Comprehend_', 'comprehend'],
  ['Logs_', 'logs'],
];
