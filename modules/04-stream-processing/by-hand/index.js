// Module 4's stream processor written by hand, as the original workshop wrote it in the Lambda
// console: each aggregated record on `wildrydes-aggregated` becomes one item of the table named
// by TABLE_NAME. CommonJS and the AWS SDK v3 that the Node.js runtime provides: no build step.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { BatchWriteCommand, DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');

const table = process.env.TABLE_NAME;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The aggregated record a Kinesis record carries, or undefined for one that is not (skipped). */
function aggregateOf(record) {
  try {
    const item = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    return typeof item?.Name === 'string' && typeof item?.StatusTime === 'string' ? item : undefined;
  } catch {
    return undefined;
  }
}

exports.handler = async (event) => {
  // One put per key: a batch may carry a window twice (a retried record), and BatchWriteItem
  // refuses two requests for the same key. A put is idempotent: a window written again is the same.
  const items = new Map();
  for (const record of event.Records) {
    const item = aggregateOf(record);
    if (item) items.set(`${item.Name}|${item.StatusTime}`, item);
    else console.log(`skipped a record that is not an aggregate: ${record.kinesis.sequenceNumber}`);
  }
  const puts = [...items.values()].map((Item) => ({ PutRequest: { Item } }));
  for (let start = 0; start < puts.length; start += 25) {
    let pending = puts.slice(start, start + 25);
    for (let attempt = 1; pending.length > 0; attempt++) {
      // Throwing makes Lambda deliver the batch again: nothing is lost, and puts repeat harmlessly.
      if (attempt > 6) throw new Error(`${pending.length} items still unprocessed after 6 attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending } }),
      );
      pending = UnprocessedItems?.[table] ?? [];
    }
  }
  console.log(`wrote ${items.size} aggregates to ${table}`);
};
