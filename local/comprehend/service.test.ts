import {
  BatchDetectSentimentCommand,
  BatchSizeLimitExceededException,
  ComprehendClient,
  DetectSentimentCommand,
  InvalidRequestException,
  TextSizeLimitExceededException,
  UnsupportedLanguageException,
} from '@aws-sdk/client-comprehend';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { installComprehend } from './index.ts';

describe('local Comprehend through the real SDK client', () => {
  const cloud = useLocalCloud();
  let comprehend: ComprehendClient;

  beforeAll(() => {
    installComprehend(cloud());
    comprehend = new ComprehendClient(clientConfig(cloud()));
  });

  it.each([
    ['The unicorn was wonderful and the ride was great', 'POSITIVE'],
    ['The app crashed and the support was rude and useless', 'NEGATIVE'],
  ])('DetectSentiment labels "%s" %s, scores adding up to 1', async (Text, label) => {
    // Act
    const result = await comprehend.send(new DetectSentimentCommand({ Text, LanguageCode: 'en' }));

    // Assess
    expect(result.Sentiment).toBe(label);
    const { Positive = 0, Negative = 0, Neutral = 0, Mixed = 0 } = result.SentimentScore ?? {};
    expect(Positive + Negative + Neutral + Mixed).toBeCloseTo(1, 6);
  });

  it('accepts exactly 5,000 bytes of multi-byte text', async () => {
    // Prepare: 2,500 × "é" (2 bytes each)
    const Text = 'é'.repeat(2500);

    // Act
    const result = await comprehend.send(new DetectSentimentCommand({ Text, LanguageCode: 'en' }));

    // Assess
    expect(result.Sentiment).toBe('NEUTRAL');
  });

  it.each([
    ['5,001 bytes', { Text: `${'é'.repeat(2500)}x`, LanguageCode: 'en' }, TextSizeLimitExceededException],
    ['French', { Text: 'Très bien', LanguageCode: 'fr' }, UnsupportedLanguageException],
    ['empty text', { Text: '', LanguageCode: 'en' }, InvalidRequestException],
  ] as const)('DetectSentiment refuses %s with the documented exception', async (_, input, error) => {
    // Act
    const call = comprehend.send(new DetectSentimentCommand({ ...input }));

    // Assess
    await expect(call).rejects.toBeInstanceOf(error);
  });

  it('BatchDetectSentiment scores each text with its index', async () => {
    // Act
    const result = await comprehend.send(
      new BatchDetectSentimentCommand({
        TextList: ['great ride', 'awful ride', 'a ride'],
        LanguageCode: 'en',
      }),
    );

    // Assess
    expect(result.ResultList?.map((r) => [r.Index, r.Sentiment])).toEqual([
      [0, 'POSITIVE'],
      [1, 'NEGATIVE'],
      [2, 'NEUTRAL'],
    ]);
    expect(result.ErrorList).toEqual([]);
  });

  it('BatchDetectSentiment refuses more than 25 texts', async () => {
    // Act
    const call = comprehend.send(
      new BatchDetectSentimentCommand({
        TextList: Array.from({ length: 26 }, () => 'ok'),
        LanguageCode: 'en',
      }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(BatchSizeLimitExceededException);
  });

  it('answers a null body with a 400 SerializationException, not a 502 the SDK would retry', async () => {
    // Act
    const res = await fetch(cloud().endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Comprehend_20171127.DetectSentiment',
      },
      body: 'null',
    });

    // Assess
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type?: string }).__type).toBe('SerializationException');
  });
});
