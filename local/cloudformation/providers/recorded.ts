/**
 * Resource types the local cloud accepts but does not enforce: IAM, log groups, alarms,
 * permissions and resource policies, KMS keys, ECR repositories, SSM parameters (until bound to
 * the local SSM), CDK's metadata and some of its custom resources. Nothing is
 * created; each gets the `Ref` and `Fn::GetAtt` values AWS would give, so templates resolve.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../types.ts';
import { NAME_RULES, type NameRule, physicalName, shortHash } from '../names.ts';
import type { ProvisionResult, ResourceProvider, ValidateContext } from './types.ts';
import { optString, type Props } from './values.ts';

type Describe = (props: Props, ctx: ValidateContext) => ProvisionResult;

const named = (props: Props, ctx: ValidateContext, key: string, rule: NameRule) =>
  optString(props, key, ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, rule);

const idOf = (ctx: ValidateContext) => `${ctx.stackName}-${ctx.logicalId}`;

/** An IAM-style unique id (`AROA…`), stable for the same name. */
const iamId = (prefix: string, name: string) => `${prefix}${shortHash(name, 17).toUpperCase()}`;

const iamPath = (props: Props, ctx: ValidateContext) => optString(props, 'Path', ctx.at) ?? '/';

function recorded(attributes: readonly string[], describe: Describe): ResourceProvider {
  return {
    attributes,
    replaceOn: [],
    nameOf: (props, ctx) => describe(props, ctx).physicalId,
    create: async (props, ctx) => ({ ...describe(props, ctx), data: { recordedOnly: true } }),
    update: async (props, _previous, _changed, ctx) => ({
      ...describe(props, ctx),
      data: { recordedOnly: true },
    }),
    async delete() {},
  };
}

const role = recorded(['Arn', 'RoleId'], (props, ctx) => {
  const name = named(props, ctx, 'RoleName', NAME_RULES.iamRole);
  const arn = `arn:aws:iam::${LOCAL_ACCOUNT}:role${iamPath(props, ctx)}${name}`;
  return { physicalId: name, ref: name, attributes: { Arn: arn, RoleId: iamId('AROA', arn) } };
});

const policy = recorded(['Id'], (props, ctx) => {
  const name = named(props, ctx, 'PolicyName', NAME_RULES.iamPolicy);
  const id = `${ctx.stackName}-${name}`;
  return { physicalId: id, ref: id, attributes: { Id: id } };
});

const managedPolicy = recorded(
  [
    'PolicyArn',
    'PolicyId',
    'DefaultVersionId',
    'AttachmentCount',
    'IsAttachable',
    'CreateDate',
    'UpdateDate',
  ],
  (props, ctx) => {
    const name = named(props, ctx, 'ManagedPolicyName', NAME_RULES.iamPolicy);
    const arn = `arn:aws:iam::${LOCAL_ACCOUNT}:policy${iamPath(props, ctx)}${name}`;
    return {
      physicalId: arn,
      ref: arn,
      attributes: {
        PolicyArn: arn,
        PolicyId: iamId('ANPA', arn),
        DefaultVersionId: 'v1',
        AttachmentCount: '0',
        IsAttachable: 'true',
        CreateDate: '1970-01-01T00:00:00Z',
        UpdateDate: '1970-01-01T00:00:00Z',
      },
    };
  },
);

const logGroup = recorded(['Arn'], (props, ctx) => {
  const name = named(props, ctx, 'LogGroupName', NAME_RULES.logGroup);
  return {
    physicalId: name,
    ref: name,
    attributes: { Arn: `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${name}:*` },
  };
});

const alarm = recorded(['Arn'], (props, ctx) => {
  const name = named(props, ctx, 'AlarmName', NAME_RULES.alarm);
  return {
    physicalId: name,
    ref: name,
    attributes: { Arn: `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${name}` },
  };
});

/** Resources whose `Ref` is an opaque id: permissions, resource policies, CDK metadata, custom resources. */
const opaque = (attributes: readonly string[] = []) =>
  recorded(attributes, (_props, ctx) => ({
    physicalId: idOf(ctx),
    ref: idOf(ctx),
    attributes: Object.fromEntries(attributes.map((name) => [name, idOf(ctx)])),
  }));

const layer = recorded(['LayerVersionArn'], (props, ctx) => {
  const name = named(props, ctx, 'LayerName', NAME_RULES.lambdaFunction);
  const arn = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:layer:${name}:1`;
  return { physicalId: arn, ref: arn, attributes: { LayerVersionArn: arn } };
});

/** A KMS key id: a UUID, stable for the same stack and logical id. */
const keyId = (ctx: ValidateContext) => {
  const h = shortHash(idOf(ctx), 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const kmsKey = recorded(['Arn', 'KeyId'], (_props, ctx) => {
  const id = keyId(ctx);
  return {
    physicalId: id,
    ref: id,
    attributes: { Arn: `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${id}`, KeyId: id },
  };
});

const kmsAlias = recorded([], (props, ctx) => {
  const name = optString(props, 'AliasName', ctx.at) ?? `alias/${idOf(ctx)}`;
  return { physicalId: name, ref: name, attributes: {} };
});

const ecrRepository = recorded(['Arn', 'RepositoryUri'], (props, ctx) => {
  const name = named(props, ctx, 'RepositoryName', NAME_RULES.ecrRepository);
  return {
    physicalId: name,
    ref: name,
    attributes: {
      Arn: `arn:aws:ecr:${LOCAL_REGION}:${LOCAL_ACCOUNT}:repository/${name}`,
      RepositoryUri: `${LOCAL_ACCOUNT}.dkr.ecr.${LOCAL_REGION}.amazonaws.com/${name}`,
    },
  };
});

/** Until a provider bound to the local SSM store is given (`LocalDeployerOptions.providers`). */
const ssmParameter = recorded(['Type', 'Value'], (props, ctx) => {
  const name = named(props, ctx, 'Name', NAME_RULES.ssmParameter);
  return {
    physicalId: name,
    ref: name,
    attributes: {
      Type: optString(props, 'Type', ctx.at) ?? 'String',
      Value: optString(props, 'Value', ctx.at) ?? '',
    },
  };
});

/** Accepted-but-not-enforced resource types, by type. */
export const recordedProviders: Record<string, ResourceProvider> = {
  'AWS::IAM::Role': role,
  'AWS::IAM::Policy': policy,
  'AWS::IAM::ManagedPolicy': managedPolicy,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::Lambda::Permission': opaque(['Id']),
  'AWS::SQS::QueuePolicy': opaque(['Id']),
  'AWS::S3::BucketPolicy': opaque(['Id']),
  'AWS::SNS::TopicPolicy': opaque(['Id']),
  'AWS::CDK::Metadata': opaque(),
  'AWS::CloudFormation::WaitConditionHandle': opaque(),
  // The CDK bootstrap stack's encryption key and image repository: no KMS or ECR locally.
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::Alias': kmsAlias,
  'AWS::ECR::Repository': ecrRepository,
  'AWS::SSM::Parameter': ssmParameter,
  // CDK's log-retention custom resource: retention is not enforced locally.
  'Custom::LogRetention': opaque(['LogGroupName']),
  // Only the layers of CDK's own custom-resource handlers (e.g. the AWS CLI layer of a bucket
  // deployment) reach here: a function of the app with layers is refused by the Lambda provider.
  'AWS::Lambda::LayerVersion': layer,
};
