/**
 * SQS's query protocol (a form-encoded `Action=ListQueues&Version=2012-11-05`, answered in XML),
 * which AWS CLIs before 2023 speak (Debian 12's awscli 2.9 among them), translated to and from
 * the JSON protocol that today's SDKs speak and fauxqs serves. JSON requests pass through.
 */
import { randomUUID } from 'node:crypto';
import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../types.ts';

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Query members that are JSON integers (the JSON protocol refuses them as strings). */
const INTEGERS = new Set([
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'DelaySeconds',
  'MaxResults',
]);

/** Flattened query lists: the query name of one item → the JSON member of the list. */
const LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
};

/** Flattened query maps: query name → JSON member, with the names of an entry's key and value. */
const MAPS: Record<string, { member: string; key: string; value: string }> = {
  Attribute: { member: 'Attributes', key: 'Name', value: 'Value' },
  MessageAttribute: { member: 'MessageAttributes', key: 'Name', value: 'Value' },
  MessageSystemAttribute: { member: 'MessageSystemAttributes', key: 'Name', value: 'Value' },
  Tag: { member: 'Tags', key: 'Key', value: 'Value' },
};

type Tree = { [name: string]: Tree | string };

/** Whether a request is in the query protocol: form-encoded, or an `Action` in the URL, no target. */
export function isSqsQueryRequest(req: Pick<GatewayRequest, 'headers' | 'url'>): boolean {
  if (req.headers['x-amz-target']) return false;
  return (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') || /[?&]Action=/.test(req.url);
}

/** `Attribute.1.Name=a&Attribute.1.Value=b` → `{ Attribute: { 1: { Name: 'a', Value: 'b' } } }`. */
function treeOf(params: URLSearchParams): Tree {
  const root: Tree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'object') {
        node = next;
      } else {
        const child: Tree = {};
        node[part] = child;
        node = child;
      }
    }
    node[parts.at(-1) ?? key] = value;
  }
  return root;
}

const numbered = (tree: Tree): (Tree | string)[] =>
  Object.keys(tree)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .flatMap((k) => tree[k] ?? []);

/** A query tree as the JSON input of `action`. */
function jsonOf(tree: Tree, action: string): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(tree)) {
    if (name === 'Action' || name === 'Version') continue;
    const list = LISTS[name];
    const map = MAPS[name];
    if (typeof value === 'string') {
      json[name] = INTEGERS.has(name) ? Number(value) : value;
    } else if (list) {
      json[list] = numbered(value);
    } else if (map) {
      const entries = numbered(value).filter((e): e is Tree => typeof e === 'object');
      // CreateQueue names its tags `tags`; TagQueue names them `Tags`.
      const member = name === 'Tag' && action === 'CreateQueue' ? 'tags' : map.member;
      json[member] = Object.fromEntries(
        entries.map((e) => {
          const v = e[map.value];
          return [e[map.key], typeof v === 'object' ? jsonOf(v, action) : v];
        }),
      );
    } else if (name.endsWith('BatchRequestEntry')) {
      json.Entries = numbered(value).map((e) => (typeof e === 'object' ? jsonOf(e, action) : e));
    } else {
      json[name] = jsonOf(value, action);
    }
  }
  return json;
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** JSON output members whose query form is a flattened list of elements named otherwise. */
const ITEM_NAMES: Record<string, string> = {
  QueueUrls: 'QueueUrl',
  queueUrls: 'QueueUrl',
  Messages: 'Message',
};

/** A JSON output value as the XML the query protocol answers with. */
function xmlOf(json: Record<string, unknown>, action: string): string {
  let xml = '';
  for (const [name, value] of Object.entries(json)) {
    if (value === undefined || value === null) continue;
    const batchEntry = name === 'Successful' ? `${action.replace(/Batch$/, '')}BatchResultEntry` : undefined;
    const map = Object.entries(MAPS).find(([, m]) => m.member === name);
    if (Array.isArray(value)) {
      const item = ITEM_NAMES[name] ?? batchEntry ?? (name === 'Failed' ? 'BatchResultErrorEntry' : name);
      for (const v of value) xml += element(item, v, action);
    } else if (map && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        xml += `<${map[0]}>${element(map[1].key, key, action)}${element(map[1].value, v, action)}</${map[0]}>`;
      }
    } else {
      xml += element(name, value, action);
    }
  }
  return xml;
}

function element(name: string, value: unknown, action: string): string {
  const inner =
    typeof value === 'object' && value !== null
      ? xmlOf(value as Record<string, unknown>, action)
      : escapeXml(String(value));
  return `<${name}>${inner}</${name}>`;
}

const xmlResponse = (status: number, body: string): GatewayResponse => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
});

/** A JSON-protocol error as the query protocol's `<ErrorResponse>`. */
function errorOf(res: GatewayResponse, requestId: string): GatewayResponse {
  let parsed: { __type?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(String(res.body ?? '{}'));
  } catch {
    // Not JSON: keep the status, say what we can.
  }
  // fauxqs names the query error code and fault the way AWS does: `AWS.SimpleQueueService.X;Sender`.
  const [queryCode, fault] = (res.headers?.['x-amzn-query-error'] ?? '').split(';');
  const code = queryCode || parsed.__type?.split('#').pop() || 'InternalFailure';
  const message = parsed.message ?? parsed.Message ?? '';
  return xmlResponse(
    res.status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${fault || (res.status >= 500 ? 'Receiver' : 'Sender')}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

/** Serves the query protocol in front of a JSON-protocol SQS (fauxqs); JSON requests pass through. */
export function sqsQueryProtocol(json: ServiceHandler): ServiceHandler {
  return async (req) => {
    if (!isSqsQueryRequest(req)) return json(req);
    const query = req.url.indexOf('?');
    const params = new URLSearchParams(query >= 0 ? req.url.slice(query + 1) : '');
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
    const action = params.get('Action') ?? '';
    const input = jsonOf(treeOf(params), action);
    // A queue's own URL as the endpoint (`POST /000000000000/name`) names the queue.
    const path = (query >= 0 ? req.url.slice(0, query) : req.url) || '/';
    if (path !== '/' && input.QueueUrl === undefined)
      input.QueueUrl = `http://${req.headers.host ?? 'localhost'}${path}`;
    const res = await json({
      ...req,
      url: '/',
      headers: {
        ...req.headers,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
      },
      body: Buffer.from(JSON.stringify(input)),
    });
    const requestId = randomUUID();
    if (res.status >= 300) return errorOf(res, requestId);
    const output = JSON.parse(String(res.body ?? '') || '{}') as Record<string, unknown>;
    const result =
      Object.keys(output).length > 0 ? `<${action}Result>${xmlOf(output, action)}</${action}Result>` : '';
    return xmlResponse(
      res.status,
      `<${action}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  };
}
