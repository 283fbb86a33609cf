import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '../../testing/local-cloud.ts';
import { isSqsQueryRequest } from './query-protocol.ts';

describe('isSqsQueryRequest', () => {
  it.each([
    [
      'a form-encoded POST',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      '/',
      true,
    ],
    ['an Action in the URL', {}, '/?Action=ListQueues&Version=2012-11-05', true],
    [
      'a JSON call',
      { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      '/',
      false,
    ],
    [
      'a form with a JSON target',
      { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-target': 'AmazonSQS.X' },
      '/',
      false,
    ],
  ])('%s: %s', (_, headers, url, expected) => {
    // Act & Assess
    expect(isSqsQueryRequest({ headers, url })).toBe(expected);
  });
});

describe('SQS query protocol on the local cloud', () => {
  const cloud = useLocalCloud();

  /** A query-protocol call as botocore sends it: form body, SigV4 scope naming sqs. */
  async function query(params: Record<string, string>): Promise<{ status: number; xml: string }> {
    const res = await fetch(cloud().endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/sqs/aws4_request, Signature=x',
      },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
    });
    return { status: res.status, xml: await res.text() };
  }

  it('creates, lists, describes, sends to and receives from a queue, answering in XML', async () => {
    // Act
    const created = await query({
      Action: 'CreateQueue',
      QueueName: 'query-test',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '45',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'unicorns',
    });
    const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(created.xml)?.[1] ?? '';
    const listed = await query({ Action: 'ListQueues', QueueNamePrefix: 'query-' });
    const attributes = await query({
      Action: 'GetQueueAttributes',
      QueueUrl: queueUrl,
      'AttributeName.1': 'All',
    });
    const tags = await query({ Action: 'ListQueueTags', QueueUrl: queueUrl });
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: 'hello <unicorn> & co',
      'MessageAttribute.1.Name': 'rider',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'Ana',
    });
    const batch = await query({
      Action: 'SendMessageBatch',
      QueueUrl: queueUrl,
      'SendMessageBatchRequestEntry.1.Id': 'a',
      'SendMessageBatchRequestEntry.1.MessageBody': 'one',
    });
    const received = await query({
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      MaxNumberOfMessages: '10',
      'MessageAttributeName.1': 'All',
    });

    // Assess
    expect(created.status).toBe(200);
    expect(created.xml).toMatch(
      /^<\?xml .*\?>\n<CreateQueueResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/">/,
    );
    expect(queueUrl).toMatch(/\/000000000000\/query-test$/);
    expect(listed.xml).toContain(`<ListQueuesResult><QueueUrl>${queueUrl}</QueueUrl></ListQueuesResult>`);
    expect(attributes.xml).toContain(
      '<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>',
    );
    expect(tags.xml).toContain('<Tag><Key>team</Key><Value>unicorns</Value></Tag>');
    expect(sent.xml).toMatch(
      /<SendMessageResult>.*<MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>.*<\/SendMessageResult>/,
    );
    expect(batch.xml).toMatch(/<SendMessageBatchResultEntry><Id>a<\/Id>/);
    expect(received.xml).toContain('<Body>hello &lt;unicorn&gt; &amp; co</Body>');
    expect(received.xml).toMatch(
      /<MessageAttribute><Name>rider<\/Name><Value>(<StringValue>Ana<\/StringValue>|<DataType>String<\/DataType>){2}<\/Value><\/MessageAttribute>/,
    );
    expect(received.xml).toContain('<Body>one</Body>');
  });

  it('answers an error as the query protocol does, with AWS’s error code', async () => {
    // Act
    const { status, xml } = await query({ Action: 'GetQueueUrl', QueueName: 'no-such-queue' });

    // Assess
    expect(status).toBe(400);
    expect(xml).toMatch(
      /<ErrorResponse [^>]*><Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>[^<]+<\/Message>/,
    );
  });
});
