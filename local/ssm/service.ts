/**
 * SSM Parameter Store's API over JSON 1.1 (`X-Amz-Target: AmazonSSM.GetParameter`), served from
 * an `SsmStore`: PutParameter, GetParameter(s), GetParametersByPath, DeleteParameter(s).
 */
import { awsError } from '../gateway/server.ts';
import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../types.ts';
import { invalid, SsmError } from './errors.ts';
import type { Parameter, ParameterTier, ParameterType, SsmStore, Tag } from './store.ts';

const TARGET_PREFIX = 'AmazonSSM.';

type Input = Record<string, unknown>;

const memberName = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function str(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(memberName(name), JSON.stringify(value), 'must be a string');
  return value;
}

function required(input: Input, name: string): string {
  const value = str(input, name);
  if (value === undefined) throw invalid(memberName(name), 'null', 'must not be null');
  return value;
}

function bool(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(memberName(name), JSON.stringify(value), 'must be a boolean');
  return value;
}

function int(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(memberName(name), JSON.stringify(value), 'must be an integer');
  }
  return value;
}

function strings(input: Input, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) throw invalid(memberName(name), 'null', 'must not be null');
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(memberName(name), JSON.stringify(value), 'must be a list of strings');
  }
  return value;
}

const tags = (input: Input): Tag[] | undefined =>
  Array.isArray(input.Tags)
    ? input.Tags.map((t: { Key?: unknown; Value?: unknown }) => ({
        Key: String(t.Key),
        Value: String(t.Value ?? ''),
      }))
    : undefined;

/** Timestamps in JSON 1.1 are epoch seconds. */
const shape = (p: Parameter) => ({ ...p, LastModifiedDate: p.LastModifiedDate.getTime() / 1000 });

/** `ParameterFilters` of `GetParametersByPath`: the local store filters by `Type` (`Equals`). */
function typeFilter(input: Input): string[] | undefined {
  const filters = Array.isArray(input.ParameterFilters) ? (input.ParameterFilters as Input[]) : [];
  let types: string[] | undefined;
  for (const filter of filters) {
    if (filter.Key !== 'Type') {
      throw new SsmError(
        'InvalidFilterKey',
        `The local Parameter Store filters parameters by Type only, not by ${String(filter.Key)}.`,
      );
    }
    if (filter.Option !== undefined && filter.Option !== 'Equals') {
      throw new SsmError(
        'InvalidFilterOption',
        `The filter option ${String(filter.Option)} is not valid for key Type. Valid options include: [Equals].`,
      );
    }
    types = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
  }
  return types;
}

type Operation = (input: Input) => unknown;

function ssmOperations(store: SsmStore): Record<string, Operation> {
  return {
    PutParameter: (input) =>
      store.putParameter({
        Name: required(input, 'Name'),
        Value: required(input, 'Value'),
        Type: str(input, 'Type') as ParameterType | undefined,
        Description: str(input, 'Description'),
        Overwrite: bool(input, 'Overwrite'),
        AllowedPattern: str(input, 'AllowedPattern'),
        KeyId: str(input, 'KeyId'),
        Tier: str(input, 'Tier') as ParameterTier | undefined,
        DataType: str(input, 'DataType'),
        Tags: tags(input),
      }),
    GetParameter: (input) => ({
      Parameter: shape(
        store.getParameter(required(input, 'Name'), { withDecryption: bool(input, 'WithDecryption') }),
      ),
    }),
    GetParameters: (input) => {
      const out = store.getParameters(strings(input, 'Names'), {
        withDecryption: bool(input, 'WithDecryption'),
      });
      return { Parameters: out.Parameters.map(shape), InvalidParameters: out.InvalidParameters };
    },
    GetParametersByPath: (input) => {
      const out = store.getParametersByPath(required(input, 'Path'), {
        recursive: bool(input, 'Recursive'),
        withDecryption: bool(input, 'WithDecryption'),
        types: typeFilter(input),
        maxResults: int(input, 'MaxResults'),
        nextToken: str(input, 'NextToken'),
      });
      return { Parameters: out.Parameters.map(shape), NextToken: out.NextToken };
    },
    DeleteParameter: (input) => {
      store.deleteParameter(required(input, 'Name'));
      return {};
    },
    DeleteParameters: (input) => store.deleteParameters(strings(input, 'Names')),
  };
}

const json = (body: unknown): GatewayResponse => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});

/** SSM Parameter Store's API (service `ssm`) over `store`. */
export function ssmHandler(store: SsmStore): ServiceHandler {
  const operations = ssmOperations(store);
  return async (req: GatewayRequest) => {
    const target = req.headers['x-amz-target'] ?? '';
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!operation) {
      return awsError(
        400,
        'UnknownOperationException',
        `the local Parameter Store serves ${Object.keys(operations).join(', ')}, not '${target}'`,
      );
    }
    let input: Input;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}') as Input;
    } catch {
      return awsError(400, 'SerializationException', 'the request body is not JSON');
    }
    try {
      return json(operation(input));
    } catch (err) {
      if (err instanceof SsmError) return awsError(err.status, err.code, err.message);
      throw err;
    }
  };
}
