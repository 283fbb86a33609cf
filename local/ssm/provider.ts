/**
 * `AWS::SSM::Parameter` written into an `SsmStore`: `Ref` is the parameter's name, `Fn::GetAtt`
 * gives its `Type` and `Value`. CloudFormation creates String and StringList parameters only.
 */
import { TemplateError } from '../cloudformation/errors.ts';
import { type NameRule, physicalName } from '../cloudformation/names.ts';
import type {
  ProvisionResult,
  ResourceProvider,
  ValidateContext,
} from '../cloudformation/providers/types.ts';
import { optRecord, optString, type Props, reqString } from '../cloudformation/providers/values.ts';
import { SsmError } from './errors.ts';
import { parameterArn, SSM_LIMITS } from './names.ts';
import type { ParameterTier, PutParameterInput, SsmStore, Tag } from './store.ts';

/** Parameter names: letters, digits, `_.-`, within the length the ARN leaves. */
const NAME_RULE: NameRule = {
  maxLength: SSM_LIMITS.nameWithArn - parameterArn('').length,
  allowed: /[a-zA-Z0-9_.-]/,
};

const TYPES = ['String', 'StringList'] as const;

const nameOf = (props: Props, ctx: ValidateContext) =>
  optString(props, 'Name', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULE);

function typeOf(props: Props, ctx: ValidateContext): (typeof TYPES)[number] {
  const type = reqString(props, 'Type', ctx.at);
  const known = TYPES.find((t) => t === type);
  if (!known) {
    throw new TemplateError(
      `property Type must be String or StringList (CloudFormation does not create ${type} parameters)`,
      ctx.at,
    );
  }
  return known;
}

/** `Tags` of an SSM parameter are a JSON object of key to value. */
const tagsOf = (props: Props): Tag[] =>
  Object.entries(optRecord(props, 'Tags') ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));

function inputOf(props: Props, ctx: ValidateContext): PutParameterInput {
  return {
    Name: nameOf(props, ctx),
    Value: reqString(props, 'Value', ctx.at),
    Type: typeOf(props, ctx),
    Description: optString(props, 'Description', ctx.at),
    AllowedPattern: optString(props, 'AllowedPattern', ctx.at),
    Tier: optString(props, 'Tier', ctx.at) as ParameterTier | undefined,
    DataType: optString(props, 'DataType', ctx.at),
  };
}

const resultOf = (input: PutParameterInput): ProvisionResult => ({
  physicalId: input.Name,
  ref: input.Name,
  attributes: { Type: input.Type ?? 'String', Value: input.Value },
});

/** `AWS::SSM::Parameter` over `store` (the CDK bootstrap stack's `/cdk-bootstrap/<qualifier>/version`). */
export function ssmParameterProvider(store: SsmStore): ResourceProvider {
  const overwrite = (props: Props, ctx: ValidateContext) => {
    const input = inputOf(props, ctx);
    store.putParameter({ ...input, Overwrite: true });
    store.setTags(input.Name, tagsOf(props));
    return resultOf(input);
  };
  return {
    attributes: ['Type', 'Value'],
    replaceOn: ['Name'],
    nameOf,
    validate(props, ctx) {
      typeOf(props, ctx);
    },
    async create(props, ctx) {
      const input = inputOf(props, ctx);
      try {
        store.putParameter({ ...input, Tags: tagsOf(props) });
        return resultOf(input);
      } catch (err) {
        // A parameter of that name outlived the deployer's memory of it: adopt it.
        if (!(err instanceof SsmError && err.code === 'ParameterAlreadyExists')) throw err;
        return overwrite(props, ctx);
      }
    },
    update: async (props, _previous, _changed, ctx) => overwrite(props, ctx),
    async delete(previous) {
      try {
        store.deleteParameter(previous.physicalId);
      } catch (err) {
        if (!(err instanceof SsmError && err.code === 'ParameterNotFound')) throw err;
      }
    },
  };
}
