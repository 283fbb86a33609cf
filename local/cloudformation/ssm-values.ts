/**
 * Values of `AWS::SSM::Parameter::Value<…>` template parameters, read from the local cloud's SSM
 * (as CloudFormation reads them from Parameter Store when a stack is created or updated). When
 * the local cloud serves no SSM, nothing is read and the planner's fallbacks apply.
 */
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../types.ts';
import { StackRequestError } from './request-errors.ts';
import type { CfnTemplate } from './template.ts';

const isSsmType = (type: string) => type.startsWith('AWS::SSM::Parameter::Value<');

/** One SSM `GetParameter` through the gateway: the value, `null` when it does not exist, undefined when SSM is not served. */
async function getParameter(endpoint: string, name: string): Promise<string | null | undefined> {
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  let response: Response;
  try {
    response = await fetch(new URL('/', endpoint), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
        // The gateway routes by the credential scope; the local cloud checks no signature.
        authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${date}/${LOCAL_REGION}/ssm/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({ Name: name, WithDecryption: true }),
    });
  } catch {
    return undefined;
  }
  const body = (await response.json().catch(() => ({}))) as {
    Parameter?: { Value?: string };
    __type?: string;
  };
  if (response.ok) return body.Parameter?.Value ?? null;
  return String(body.__type ?? '').endsWith('ParameterNotFound') ? null : undefined;
}

/**
 * Reads the SSM parameters `template` names in its SSM-typed parameters (`values` holds the
 * names, given or defaulted). Returns values by template parameter name.
 * @throws StackRequestError when SSM is served and a parameter does not exist (CloudFormation's wording)
 */
export async function readSsmParameters(
  endpoint: string,
  template: CfnTemplate,
  values: Record<string, string>,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, parameter] of Object.entries(template.Parameters ?? {})) {
    const name = values[key];
    if (!isSsmType(parameter.Type) || name === undefined) continue;
    const value = await getParameter(endpoint, name);
    if (value === undefined) return {};
    if (value === null) missing.push(name);
    else resolved[key] = value;
  }
  if (missing.length > 0) {
    throw new StackRequestError(
      `Unable to fetch parameters [${missing.join(',')}] from parameter store for this account.`,
    );
  }
  return resolved;
}
