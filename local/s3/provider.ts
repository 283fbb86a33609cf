/**
 * `AWS::S3::Bucket` on fauxqs, and the custom resources CDK adds around buckets:
 * `Custom::S3BucketNotifications` and `Custom::S3AutoDeleteObjects` are done by the deployer itself
 * (their Lambda handlers are not run), `Custom::CDKBucketDeployment` copies its asset directory.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UnsupportedPropertyError } from '../cloudformation/errors.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type {
  ProvisionResult,
  ResourceProvider,
  ValidateContext,
} from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  isRecord,
  optArray,
  optBoolean,
  optString,
  type Props,
  reqString,
} from '../cloudformation/providers/values.ts';
import { LOCAL_REGION } from '../types.ts';

const bucketName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'BucketName', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.s3Bucket);

/** Whether a notification configuration turns on "send events to EventBridge". */
export function eventBridgeEnabled(configuration: unknown): boolean {
  if (!isRecord(configuration)) return false;
  const eventBridge = configuration.EventBridgeConfiguration;
  if (!isRecord(eventBridge)) return false;
  // The bucket property has EventBridgeEnabled (default true); CDK's custom resource passes {}.
  return eventBridge.EventBridgeEnabled !== false && eventBridge.EventBridgeEnabled !== 'false';
}

const bucketAttributes = (name: string): Record<string, string> => ({
  Arn: `arn:aws:s3:::${name}`,
  DomainName: `${name}.s3.amazonaws.com`,
  RegionalDomainName: `${name}.s3.${LOCAL_REGION}.amazonaws.com`,
  DualStackDomainName: `${name}.s3.dualstack.${LOCAL_REGION}.amazonaws.com`,
  WebsiteURL: `http://${name}.s3-website-${LOCAL_REGION}.amazonaws.com`,
});

/** Deletes every object (under `prefix`) so the bucket can go. */
export async function emptyBucket(s3: S3Client, bucket: string, prefix?: string): Promise<void> {
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
    } catch (err) {
      if (isAwsError(err, 'NoSuchBucket')) return;
      throw err;
    }
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0)
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * Sends S3 the EventBridge switch, as CloudFormation (or CDK's notifications handler) does on AWS;
 * the local EventBridge sees the call and starts (or stops) turning the bucket's events into
 * EventBridge events. Queue, topic and function configurations are recorded, not delivered.
 */
async function putEventBridgeSwitch(s3: S3Client, bucket: string, enabled: boolean): Promise<void> {
  try {
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: enabled ? { EventBridgeConfiguration: {} } : {},
      }),
    );
  } catch (err) {
    if (!isAwsError(err, 'NoSuchBucket')) throw err;
  }
}

const bucketResult = (name: string, props: Props): ProvisionResult => ({
  physicalId: name,
  ref: name,
  attributes: bucketAttributes(name),
  data: {
    eventBridge: eventBridgeEnabled(props.NotificationConfiguration),
    notificationConfiguration: props.NotificationConfiguration ?? null,
  },
});

/**
 * Buckets: the name; `NotificationConfiguration` is recorded (its EventBridge switch is what the
 * local EventBridge reads); versioning, encryption, lifecycle, CORS and tags are recorded only.
 */
export const s3BucketProvider: ResourceProvider = {
  attributes: ['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'],
  replaceOn: ['BucketName'],
  nameOf: bucketName,
  async create(props, ctx) {
    const name = bucketName(props, ctx);
    try {
      await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (err) {
      if (!isAwsError(err, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw err;
    }
    if (props.NotificationConfiguration !== undefined) {
      await putEventBridgeSwitch(ctx.clients.s3, name, eventBridgeEnabled(props.NotificationConfiguration));
    }
    return bucketResult(name, props);
  },
  async update(props, previous, changed, ctx) {
    if (changed.includes('NotificationConfiguration')) {
      await putEventBridgeSwitch(
        ctx.clients.s3,
        previous.physicalId,
        eventBridgeEnabled(props.NotificationConfiguration),
      );
    }
    return bucketResult(previous.physicalId, props);
  },
  async delete(previous, ctx) {
    // AWS refuses to delete a bucket that holds objects; the local cloud empties it first.
    await emptyBucket(ctx.clients.s3, previous.physicalId);
    try {
      await ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: previous.physicalId }));
    } catch (err) {
      if (!isAwsError(err, 'NoSuchBucket')) throw err;
    }
  },
};

const customResult = (ctx: ValidateContext, data: Record<string, unknown>): ProvisionResult => {
  const id = `${ctx.stackName}-${ctx.logicalId}`;
  return { physicalId: id, ref: id, data };
};

/** `Custom::S3BucketNotifications`: sets the bucket's EventBridge switch and records the configuration. */
export const bucketNotificationsProvider: ResourceProvider = {
  attributes: [],
  replaceOn: [],
  async create(props, ctx) {
    const configuration = props.NotificationConfiguration ?? {};
    const bucket = reqString(props, 'BucketName', ctx.at);
    const eventBridge = eventBridgeEnabled(configuration);
    await putEventBridgeSwitch(ctx.clients.s3, bucket, eventBridge);
    return customResult(ctx, { bucket, eventBridge, notificationConfiguration: configuration });
  },
  async update(props, previous, _changed, ctx) {
    const before = previous.data?.bucket;
    if (typeof before === 'string' && before !== props.BucketName)
      await putEventBridgeSwitch(ctx.clients.s3, before, false);
    return this.create(props, ctx);
  },
  async delete(previous, ctx) {
    // CDK's handler clears a managed bucket's notifications when the resource goes.
    const bucket = previous.data?.bucket;
    if (typeof bucket === 'string') await putEventBridgeSwitch(ctx.clients.s3, bucket, false);
  },
};

/** `Custom::S3AutoDeleteObjects`: recorded; on delete the bucket is emptied, as CDK's handler does. */
export const autoDeleteObjectsProvider: ResourceProvider = {
  attributes: [],
  replaceOn: [],
  create: async (props, ctx) => customResult(ctx, { bucket: optString(props, 'BucketName', ctx.at) }),
  update(props, _previous, _changed, ctx) {
    return this.create(props, ctx);
  },
  async delete(previous, ctx) {
    const bucket = previous.data?.bucket;
    if (typeof bucket === 'string') await emptyBucket(ctx.clients.s3, bucket);
  },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The asset directories of a bucket deployment (one per source object key). */
function deploymentSources(props: Props, ctx: ValidateContext): string[] {
  return optArray(props, 'SourceObjectKeys').map((key) => {
    const path = ctx.assets[String(key)];
    if (!path)
      throw new UnsupportedPropertyError(
        `a bucket deployment source that is not a CDK asset (${String(key)})`,
        ctx.at,
      );
    return path;
  });
}

/** `Custom::CDKBucketDeployment`: copies its asset directories into the destination bucket. */
export const bucketDeploymentProvider: ResourceProvider = {
  attributes: ['DestinationBucketArn', 'SourceObjectKeys'],
  replaceOn: [],
  validate(props, ctx) {
    if (optArray(props, 'SourceMarkers').some((m) => isRecord(m) && Object.keys(m).length > 0)) {
      throw new UnsupportedPropertyError(
        'bucket deployment sources with deploy-time values (markers)',
        ctx.at,
      );
    }
  },
  async create(props, ctx) {
    const bucket = optString(props, 'DestinationBucketName', ctx.at) ?? '';
    const prefix = optString(props, 'DestinationBucketKeyPrefix', ctx.at) ?? '';
    const extract = optBoolean(props, 'Extract', ctx.at) ?? true;
    const keys: string[] = [];
    for (const source of deploymentSources(props, ctx)) {
      if (!(await stat(source)).isDirectory() || !extract) {
        throw new UnsupportedPropertyError(`a bucket deployment of a zip file (${source})`, ctx.at);
      }
      for (const file of await filesUnder(source)) {
        const key = `${prefix}${relative(source, file).split(sep).join('/')}`;
        await ctx.clients.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: await readFile(file),
            ContentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          }),
        );
        keys.push(key);
      }
    }
    const result = customResult(ctx, {
      bucket,
      prefix,
      keys,
      retainOnDelete: optBoolean(props, 'RetainOnDelete', ctx.at) ?? true,
    });
    return {
      ...result,
      attributes: {
        DestinationBucketArn: `arn:aws:s3:::${bucket}`,
        SourceObjectKeys: optArray(props, 'SourceObjectKeys').join(','),
      },
    };
  },
  update(props, _previous, _changed, ctx) {
    return this.create(props, ctx);
  },
  async delete(previous, ctx) {
    const { bucket, prefix, retainOnDelete } = previous.data ?? {};
    if (retainOnDelete === false && typeof bucket === 'string') {
      await emptyBucket(ctx.clients.s3, bucket, typeof prefix === 'string' && prefix ? prefix : undefined);
    }
  },
};
