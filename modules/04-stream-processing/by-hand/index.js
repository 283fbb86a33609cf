// Module 4's stream processor written by hand, as the original workshop wrote it in the Lambda
// console: each aggregated record on `wildrydes-aggregated` is merged into its item of the table
// named by TABLE_NAME. CommonJS and the AWS SDK v3 that the Node.js runtime provides: no build step.
//
// A window Lambda ended early comes in parts (each with its `Part` name), and a retry may deliver
// a part twice: each item remembers the parts it holds (`Parts`), adds a new part to its sums and
// extremes, and skips one it already holds. A plain put would keep only the last part.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');

const table = process.env.TABLE_NAME;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FIELDS = [
  'Name',
  'StatusTime',
  'Distance',
  'MinMagicPoints',
  'MaxMagicPoints',
  'MinHealthPoints',
  'MaxHealthPoints',
];

/** The aggregated record a Kinesis record carries, or undefined for one that is not (skipped). */
function aggregateOf(record) {
  try {
    const item = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    return typeof item?.Name === 'string' && typeof item?.StatusTime === 'string' ? item : undefined;
  } catch {
    return undefined;
  }
}

/** `item` with `part` merged in; the same `item` when it holds that part already. */
function merge(item, part) {
  const whole = Object.fromEntries(FIELDS.map((f) => [f, part[f]]));
  if (part.Part === undefined) return whole; // a whole window: replaces the item, as a put does
  if (item?.Parts?.includes(part.Part)) return item;
  if (!item?.Parts) return { ...whole, Parts: [part.Part] };
  return {
    ...item,
    Distance: item.Distance + part.Distance,
    MinMagicPoints: Math.min(item.MinMagicPoints, part.MinMagicPoints),
    MaxMagicPoints: Math.max(item.MaxMagicPoints, part.MaxMagicPoints),
    MinHealthPoints: Math.min(item.MinHealthPoints, part.MinHealthPoints),
    MaxHealthPoints: Math.max(item.MaxHealthPoints, part.MaxHealthPoints),
    Parts: [...item.Parts, part.Part],
  };
}

/** Sends `requests` in calls of `size`, again (with backoff) what DynamoDB left unprocessed. */
async function inCalls(requests, size, send) {
  for (let start = 0; start < requests.length; start += size) {
    let pending = requests.slice(start, start + size);
    for (let attempt = 1; pending.length > 0; attempt++) {
      // Throwing makes Lambda deliver the batch again: nothing is lost, merged parts are skipped.
      if (attempt > 6) throw new Error(`${pending.length} requests still unprocessed after 6 attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      pending = await send(pending);
    }
  }
}

exports.handler = async (event) => {
  // The parts of each key (Name + StatusTime), in order: one request per key and call.
  const parts = new Map();
  for (const record of event.Records) {
    const part = aggregateOf(record);
    if (!part) console.log(`skipped a record that is not an aggregate: ${record.kinesis.sequenceNumber}`);
    else
      parts.set(`${part.Name}|${part.StatusTime}`, [
        ...(parts.get(`${part.Name}|${part.StatusTime}`) ?? []),
        part,
      ]);
  }
  const items = new Map();
  const keys = [...parts.values()].map(([first]) => ({ Name: first.Name, StatusTime: first.StatusTime }));
  await inCalls(keys, 100, async (pending) => {
    const out = await documents.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
    for (const item of out.Responses?.[table] ?? []) items.set(`${item.Name}|${item.StatusTime}`, item);
    return out.UnprocessedKeys?.[table]?.Keys ?? [];
  });
  const puts = [];
  for (const [key, list] of parts) {
    const stored = items.get(key);
    const item = list.reduce(merge, stored);
    if (item !== stored) puts.push({ PutRequest: { Item: item } });
  }
  await inCalls(puts, 25, async (pending) => {
    const out = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    return out.UnprocessedItems?.[table] ?? [];
  });
  console.log(`merged ${puts.length} aggregates into ${table}`);
};
