/**
 * AWS's query protocol, which STS, IAM, CloudFormation and SNS speak: a request is a form-encoded
 * `Action=CreateRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=k…`, a success answers
 * `<CreateRoleResponse><CreateRoleResult>…</CreateRoleResult><ResponseMetadata>…`, an error
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code>…`. This module is the codec, plus
 * `queryService`, which turns a table of actions into a gateway `ServiceHandler`.
 *
 * Shapes are not known here: the parser applies the protocol's conventions (`X.member.N` is a
 * list, `X.entry.N.key/value` a map, other dotted names nest), and the renderer renders a JS array
 * as `<member>` items, a `Map` as `<entry><key/><value/></entry>` items and a `Date` in ISO 8601.
 */
import { randomUUID } from 'node:crypto';
import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../types.ts';

/** A parsed query value: a leaf string, a list (`X.member.N`) or a structure/map of them. */
export type QueryValue = string | QueryValue[] | QueryStruct;

/** A structure (or a map, from `X.entry.N`) of query values by member name. */
export interface QueryStruct {
  [name: string]: QueryValue;
}

/** A parsed query request. */
export interface QueryRequest {
  /** `Action`, e.g. `AssumeRole`; empty when the request names none. */
  action: string;
  /** `Version`, e.g. `2011-06-15`, when given. */
  version?: string;
  /** Every other parameter, nested by the protocol's conventions. */
  params: QueryStruct;
}

/** Raw tree of dotted names before lists and maps are recognised. */
type Tree = { [name: string]: Tree | string };

const isNumeric = (key: string) => /^\d+$/.test(key);

/** Numbered children (`1`, `2`, … in numeric order, gaps allowed), as the protocol numbers items. */
const numbered = (tree: Tree): (Tree | string)[] =>
  Object.keys(tree)
    .filter(isNumeric)
    .sort((a, b) => Number(a) - Number(b))
    .flatMap((k) => tree[k] ?? []);

/** Names a map entry's key and value use: `key`/`value` (SNS attributes), `Name`/`Value`, `Key`/`Value`. */
const ENTRY_KEYS = ['key', 'Key', 'Name'] as const;
const ENTRY_VALUES = ['value', 'Value'] as const;

function normalize(node: Tree | string): QueryValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const only = keys.length === 1 ? keys[0] : undefined;
  const child = only === undefined ? undefined : node[only];
  if (only === 'member' && typeof child === 'object') return numbered(child).map(normalize);
  if (only === 'entry' && typeof child === 'object') {
    const map: QueryStruct = {};
    for (const entry of numbered(child)) {
      if (typeof entry !== 'object') continue;
      const key = ENTRY_KEYS.map((k) => entry[k]).find((k) => typeof k === 'string');
      const value = ENTRY_VALUES.map((k) => entry[k]).find((v) => v !== undefined);
      if (key !== undefined && value !== undefined) map[key] = normalize(value);
    }
    return map;
  }
  // Flattened lists (`AttributeName.1=…`, as SQS sends) have numbered children directly.
  if (keys.length > 0 && keys.every(isNumeric)) return numbered(node).map(normalize);
  return Object.fromEntries(keys.flatMap((k) => (node[k] === undefined ? [] : [[k, normalize(node[k])]])));
}

/**
 * Parses form-encoded query parameters (`Action=…&Version=…&A.member.1.B=…`).
 * Later parameters win over earlier ones of the same name; a name given both as a leaf and as a
 * parent (`Tags=` for an empty list, then `Tags.member.1.Key=k`) keeps the nested form.
 */
export function parseQuery(form: string | URLSearchParams): QueryRequest {
  const params = typeof form === 'string' ? new URLSearchParams(form) : form;
  const root: Tree = {};
  let action = '';
  let version: string | undefined;
  for (const [name, value] of params) {
    if (name === 'Action') action = value;
    else if (name === 'Version') version = value;
    else insert(root, name.split('.'), value);
  }
  const parsed = normalize(root);
  return { action, version, params: typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {} };
}

function insert(root: Tree, path: string[], value: string): void {
  let node = root;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object') {
      node = next;
    } else {
      const child: Tree = {};
      node[part] = child;
      node = child;
    }
  }
  const last = path.at(-1) ?? '';
  if (typeof node[last] !== 'object') node[last] = value;
}

/** Parses a gateway request: parameters in the URL's query string, then those of a form body. */
export function parseQueryRequest(req: Pick<GatewayRequest, 'url' | 'body'>): QueryRequest {
  const query = req.url.indexOf('?');
  const params = new URLSearchParams(query >= 0 ? req.url.slice(query + 1) : '');
  for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
  return parseQuery(params);
}

/** A query-protocol error: what `<ErrorResponse>` says, with its HTTP status. */
export class QueryError extends Error {
  /** `Sender` for the caller's mistakes (4xx), `Receiver` for the service's (5xx). */
  readonly type: 'Sender' | 'Receiver';
  constructor(
    /** AWS's error code, e.g. `NoSuchEntity`; the SDK names its exception after it. */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'QueryError';
    this.type = status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** A member name as AWS's validation messages spell it (`RoleName` → `roleName`). */
const memberName = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** AWS's wording for a missing required member. */
export const missingMember = (name: string): QueryError =>
  new QueryError(
    'ValidationError',
    `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
  );

/** AWS's wording for a member that breaks a constraint (`Member must have length …`). */
export const invalidMember = (name: string, value: unknown, constraint: string): QueryError =>
  new QueryError(
    'ValidationError',
    `1 validation error detected: Value '${String(value)}' at '${memberName(name)}' failed to satisfy constraint: Member ${constraint}`,
  );

/**
 * Typed reads of a parsed structure. Wrong shapes and missing required members throw a
 * `QueryError` (`ValidationError`, 400) worded as AWS words them.
 */
export class QueryReader {
  /** @param values the parsed members (a request's `params`, or one list item). */
  constructor(readonly values: QueryStruct = {}) {}

  /** A string member, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidMember(name, '[structure]', 'must be a string');
    return value;
  }

  /** A string member that must be present. */
  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw missingMember(name);
    return value;
  }

  /** An integer member. */
  integer(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n)) throw invalidMember(name, text, 'must be an integer');
    return n;
  }

  /** A boolean member (`true`/`false`, as the SDKs send them). */
  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw invalidMember(name, text, 'must be true or false');
    return text === 'true';
  }

  /** A list of strings; an absent or empty (`X=`) list is `[]`. */
  strings(name: string): string[] {
    return this.list(name).map((item) => {
      if (typeof item !== 'string') throw invalidMember(name, '[structure]', 'must be a list of strings');
      return item;
    });
  }

  /** A list of structures, each as a reader; an absent or empty list is `[]`. */
  structs(name: string): QueryReader[] {
    return this.list(name).map((item) => {
      if (typeof item !== 'object' || Array.isArray(item))
        throw invalidMember(name, String(item), 'must be a list of structures');
      return new QueryReader(item);
    });
  }

  /** A structure member as a reader, or undefined when absent. */
  struct(name: string): QueryReader | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidMember(name, value, 'must be a structure');
    return new QueryReader(value);
  }

  /** A map of strings (`X.entry.N.key/value`); absent or empty is `{}`. */
  map(name: string): Record<string, string> {
    const value = this.values[name];
    if (value === undefined || value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidMember(name, value, 'must be a map');
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (typeof v !== 'string') throw invalidMember(name, k, 'must map strings to strings');
        return [k, v];
      }),
    );
  }

  private list(name: string): QueryValue[] {
    const value = this.values[name];
    // The SDKs send an empty list as `X=`.
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value)) throw invalidMember(name, '[value]', 'must be a list');
    return value;
  }
}

/**
 * Escapes text for XML content or attributes. A raw `\r` would reach the client as `\n` (XML
 * parsers normalise line ends), so it is written as a character reference; characters XML 1.0
 * cannot carry at all (most C0 controls, lone surrogates) become U+FFFD.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\r]/g, (c) => XML_ENTITIES[c] ?? c);
}

/** Characters XML 1.0 cannot carry: C0 controls but tab and line ends, U+FFFE/FFFF, lone surrogates. */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we replace.
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** A timestamp as AWS's XML writes it: ISO 8601 in UTC, whole seconds (`2024-05-01T12:00:00Z`). */
export const isoTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One XML element for a JS value: arrays as `<member>` items, `Map`s as `<entry>` items, objects
 * as child elements in key order, `Date`s in ISO 8601; `undefined` and `null` render nothing.
 */
export function xmlElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(value)}</${name}>`;
}

/** The content of an element for a JS value (see `xmlElement`). */
export function xmlContent(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return isoTimestamp(value);
  if (Array.isArray(value)) return value.map((item) => xmlElement('member', item)).join('');
  if (value instanceof Map) {
    return [...value]
      .map(([k, v]) => `<entry>${xmlElement('key', String(k))}${xmlElement('value', v)}</entry>`)
      .join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => xmlElement(k, v))
      .join('');
  }
  return escapeXml(String(value));
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Where an answer comes from: the service's XML namespace and the request's id. */
export interface QueryAnswerOptions {
  /** E.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  xmlns: string;
  requestId: string;
}

/**
 * The XML of a successful answer: `<{action}Response xmlns><{action}Result>…</{action}Result>
 * <ResponseMetadata><RequestId>…`. A `result` of undefined leaves the `Result` element out, as
 * AWS does for actions that return nothing (`DeleteRole`).
 */
export function renderQueryResult(
  action: string,
  result: object | undefined,
  opts: QueryAnswerOptions,
): string {
  const body = result === undefined ? '' : xmlElement(`${action}Result`, result);
  return `${XML_DECLARATION}<${action}Response xmlns="${escapeXml(opts.xmlns)}">${body}<ResponseMetadata><RequestId>${escapeXml(opts.requestId)}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The XML of an error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function renderQueryError(error: QueryError, opts: QueryAnswerOptions): string {
  return `${XML_DECLARATION}<ErrorResponse xmlns="${escapeXml(opts.xmlns)}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(opts.requestId)}</RequestId></ErrorResponse>`;
}

const xmlResponse = (status: number, body: string, requestId: string): GatewayResponse => ({
  status,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body,
});

/** A successful answer as a gateway response (200, `text/xml`). */
export const queryResultResponse = (
  action: string,
  result: object | undefined,
  opts: QueryAnswerOptions,
): GatewayResponse => xmlResponse(200, renderQueryResult(action, result, opts), opts.requestId);

/** An error answer as a gateway response, with the error's HTTP status. */
export const queryErrorResponse = (error: QueryError, opts: QueryAnswerOptions): GatewayResponse =>
  xmlResponse(error.status, renderQueryError(error, opts), opts.requestId);

/** What an action sees besides its parameters. */
export interface QueryContext {
  action: string;
  requestId: string;
  request: GatewayRequest;
}

/** One action: reads its parameters, returns the content of `<{Action}Result>` (or undefined for none). */
export type QueryAction = (
  params: QueryReader,
  ctx: QueryContext,
) => object | undefined | Promise<object | undefined>;

/** A query-protocol service: its namespace, its actions, and how its own errors map to the protocol. */
export interface QueryServiceOptions {
  /** The service's XML namespace, e.g. `https://iam.amazonaws.com/doc/2010-05-08/`. */
  xmlns: string;
  /** Actions by name (`GetCallerIdentity`). */
  actions: Readonly<Record<string, QueryAction>>;
  /** Turns a domain error thrown by an action into a `QueryError`; others become `InternalFailure` (500). */
  mapError?: (err: unknown) => QueryError | undefined;
}

/**
 * A gateway handler for a query-protocol service: parses the request, runs its action, renders
 * the result or the error. An unknown action is AWS's `InvalidAction` (400).
 */
export function queryService(opts: QueryServiceOptions): ServiceHandler {
  return async (request) => {
    const requestId = randomUUID();
    const answer = { xmlns: opts.xmlns, requestId };
    try {
      const { action, version, params } = parseQueryRequest(request);
      if (!action) throw new QueryError('MissingAction', 'The request must contain the parameter Action.');
      const run = Object.hasOwn(opts.actions, action) ? opts.actions[action] : undefined;
      if (!run) {
        throw new QueryError(
          'InvalidAction',
          `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
        );
      }
      const result = await run(new QueryReader(params), { action, requestId, request });
      return queryResultResponse(action, result, answer);
    } catch (err) {
      const error =
        err instanceof QueryError
          ? err
          : (opts.mapError?.(err) ??
            new QueryError('InternalFailure', (err as Error).message ?? String(err), 500));
      return queryErrorResponse(error, answer);
    }
  };
}
