/**
 * AWS STS over the query protocol: who the caller is, and temporary credentials for a role or a
 * session. The local cloud checks no signature or permission, so any role may be assumed (the
 * CDK CLI assumes its bootstrap roles); the credentials it hands out are remembered only so that
 * `GetCallerIdentity` with them names the assumed role, as AWS does.
 */
import { randomBytes } from 'node:crypto';
import {
  invalidMember,
  type QueryAction,
  QueryError,
  type QueryReader,
  queryService,
} from '../gateway/query-protocol.ts';
import { iamId } from '../iam/names.ts';
import type { IamStore } from '../iam/store.ts';
import { type GatewayRequest, LOCAL_ACCOUNT, type ServiceHandler } from '../types.ts';

/** STS's XML namespace (API version 2011-06-15). */
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Who makes a call: what `GetCallerIdentity` answers. */
export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

/** The account's root user: whoever calls with the local cloud's dummy credentials. */
export const ROOT_IDENTITY: CallerIdentity = {
  UserId: LOCAL_ACCOUNT,
  Account: LOCAL_ACCOUNT,
  Arn: `arn:aws:iam::${LOCAL_ACCOUNT}:root`,
};

/** STS's documented session-duration bounds, in seconds. */
export const STS_DURATIONS = {
  min: 900,
  assumeRoleDefault: 3600,
  /** A role's `MaxSessionDuration` caps this further. */
  assumeRoleMax: 43200,
  sessionTokenDefault: 43200,
  sessionTokenMax: 129600,
  /** Sessions of the root user last at most an hour, whatever is asked. */
  rootSessionMax: 3600,
} as const;

export interface StsOptions {
  /** Roles to describe (`RoleId`, `MaxSessionDuration`); a role it does not hold may still be assumed. */
  iam?: IamStore;
  /** The clock for expirations (tests pin it). */
  now?: () => Date;
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\x21-\x7E]*\/)?([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Characters of AWS access key ids (base32). */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const randomKeyId = () =>
  `ASIA${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('')}`;

/** The access key id a request is signed with (header or presigned URL). */
function accessKeyOf(req: GatewayRequest): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const query = req.url.indexOf('?');
  const credential =
    query >= 0 ? new URLSearchParams(req.url.slice(query + 1)).get('X-Amz-Credential') : null;
  return credential?.split('/')[0];
}

function durationOf(p: QueryReader, fallback: number, max: number): number {
  const seconds = p.integer('DurationSeconds') ?? fallback;
  if (seconds < STS_DURATIONS.min) {
    throw invalidMember(
      'DurationSeconds',
      seconds,
      `must have value greater than or equal to ${STS_DURATIONS.min}`,
    );
  }
  if (seconds > max) {
    throw invalidMember('DurationSeconds', seconds, `must have value less than or equal to ${max}`);
  }
  return seconds;
}

/** How many issued credentials are remembered. */
const MAX_SESSIONS = 10_000;

const accessDenied = (message: string) => new QueryError('AccessDenied', message, 403);

/** STS's actions; `sessions` maps the access key ids it issued to their identities. */
function stsActions(opts: StsOptions, sessions: Map<string, CallerIdentity>): Record<string, QueryAction> {
  const now = opts.now ?? (() => new Date());
  const callerOf = (req: GatewayRequest) => sessions.get(accessKeyOf(req) ?? '') ?? ROOT_IDENTITY;

  const issue = (identity: CallerIdentity, seconds: number) => {
    const credentials = {
      AccessKeyId: randomKeyId(),
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: randomBytes(240).toString('base64'),
      Expiration: new Date(now().getTime() + seconds * 1000),
    };
    sessions.set(credentials.AccessKeyId, identity);
    // Keep memory bounded: the oldest sessions are forgotten (their callers become the root user).
    if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
    return credentials;
  };

  return {
    GetCallerIdentity: (_p, { request }) => callerOf(request),

    GetAccessKeyInfo: (p) => {
      p.required('AccessKeyId');
      return { Account: LOCAL_ACCOUNT };
    },

    AssumeRole: (p) => {
      const roleArn = p.required('RoleArn');
      const sessionName = p.required('RoleSessionName');
      const match = ROLE_ARN.exec(roleArn);
      if (roleArn.length < 20) {
        throw invalidMember('RoleArn', roleArn, 'must have length greater than or equal to 20');
      }
      if (!match) throw new QueryError('ValidationError', `${roleArn} is invalid`);
      if (!SESSION_NAME.test(sessionName)) {
        throw invalidMember(
          'RoleSessionName',
          sessionName,
          'must satisfy regular expression pattern: [\\w+=,.@-]*',
        );
      }
      const [, account = LOCAL_ACCOUNT, roleName = ''] = match;
      const role = opts.iam?.findRoleByArn(roleArn);
      const seconds = durationOf(p, STS_DURATIONS.assumeRoleDefault, STS_DURATIONS.assumeRoleMax);
      if (role && seconds > role.MaxSessionDuration) {
        throw new QueryError(
          'ValidationError',
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        );
      }
      // The assumed-role ARN leaves the role's path out.
      const user = {
        Arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
        AssumedRoleId: `${role?.RoleId ?? iamId('AROA', roleArn)}:${sessionName}`,
      };
      const identity = { UserId: user.AssumedRoleId, Account: account, Arn: user.Arn };
      return {
        Credentials: issue(identity, seconds),
        AssumedRoleUser: user,
        SourceIdentity: p.string('SourceIdentity'),
      };
    },

    GetSessionToken: (p, { request }) => {
      if (sessions.has(accessKeyOf(request) ?? '')) {
        throw accessDenied('Cannot call GetSessionToken with session credentials');
      }
      const seconds = durationOf(p, STS_DURATIONS.sessionTokenDefault, STS_DURATIONS.sessionTokenMax);
      // The caller is the root user, whose sessions AWS shortens to an hour.
      return { Credentials: issue(ROOT_IDENTITY, Math.min(seconds, STS_DURATIONS.rootSessionMax)) };
    },
  };
}

/** STS's query API (service `sts`). */
export function stsHandler(opts: StsOptions = {}): ServiceHandler {
  return queryService({ xmlns: STS_XMLNS, actions: stsActions(opts, new Map()) });
}
