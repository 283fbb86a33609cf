import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { expectedHtmlKey } from '../checks/module1-verify.ts';
import { matchesPattern, parsePattern } from '../local/events/pattern.ts';
import { objectOfMessage } from '../modules/01-file-processing/shared/object-event.ts';
import { htmlKeyOf } from '../solutions/01-file-processing/conversion.ts';

const load = (name: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'modules', '01-file-processing', 'events', name), 'utf8'),
  );

describe('sample events', () => {
  it('the SQS sample wraps EventBridge S3 events the handlers can read, keys decoded', () => {
    // Prepare
    const event = load('sqs-object-created.json') as SQSEvent;

    // Act
    const refs = event.Records.map((r) => objectOfMessage(r.body));

    // Assess
    expect(refs).toEqual([
      { bucket: 'wildrydes-notes-input-000000000000-us-east-1', key: 'interview-positive.md' },
      { bucket: 'wildrydes-notes-input-000000000000-us-east-1', key: 'interviews/rider notes (draft).md' },
    ]);
  });

  it("the EventBridge sample matches the stack's rule pattern", () => {
    // Prepare
    const pattern = parsePattern({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: ['wildrydes-notes-input-000000000000-us-east-1'] },
        object: { key: [{ suffix: '.md' }] },
      },
    });

    // Assess
    expect(matchesPattern(pattern, load('eventbridge-object-created.json'))).toBe(true);
  });

  it.each([['a.md'], ['dir/b.MD'], ['no-extension']])(
    'the check expects the page where the solution writes %s',
    (key) => {
      // Assess
      expect(expectedHtmlKey(key)).toBe(htmlKeyOf(key));
    },
  );
});
