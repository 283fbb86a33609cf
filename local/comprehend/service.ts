import { awsError } from '../gateway/server.ts';
import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../types.ts';
import { analyzeSentiment, type SentimentResult } from './model.ts';

/** Comprehend's documented limits for the sentiment APIs. */
export const COMPREHEND_LIMITS = { maxTextBytes: 5000, maxBatchSize: 25 } as const;

const TARGET_PREFIX = 'Comprehend_20171127.';

/** A request Comprehend refuses: the SDK throws an exception of class `type`. */
class ComprehendRequestError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ComprehendRequestError';
  }
}

function validateText(text: unknown, where = 'Text'): string {
  if (typeof text !== 'string' || text.length === 0) {
    throw new ComprehendRequestError('InvalidRequestException', `${where} must be a non-empty string`);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > COMPREHEND_LIMITS.maxTextBytes) {
    throw new ComprehendRequestError(
      'TextSizeLimitExceededException',
      `Input text size exceeds limit. Max length of request text allowed is ${COMPREHEND_LIMITS.maxTextBytes} bytes while in this request the text size is ${bytes} bytes`,
    );
  }
  return text;
}

function validateLanguage(code: unknown): void {
  if (code === 'en') return;
  if (typeof code !== 'string' || code === '') {
    throw new ComprehendRequestError('ValidationException', 'LanguageCode is required');
  }
  throw new ComprehendRequestError(
    'UnsupportedLanguageException',
    `the local Comprehend model scores English only (LanguageCode 'en'), not '${code}'`,
  );
}

type Operation = (input: Record<string, unknown>) => unknown;

const operations: Record<string, Operation> = {
  DetectSentiment(input): SentimentResult {
    validateLanguage(input.LanguageCode);
    return analyzeSentiment(validateText(input.Text));
  },
  BatchDetectSentiment(input) {
    validateLanguage(input.LanguageCode);
    const list = input.TextList;
    if (!Array.isArray(list) || list.length === 0) {
      throw new ComprehendRequestError('InvalidRequestException', 'TextList must hold at least one text');
    }
    if (list.length > COMPREHEND_LIMITS.maxBatchSize) {
      throw new ComprehendRequestError(
        'BatchSizeLimitExceededException',
        `the batch has ${list.length} documents; the limit is ${COMPREHEND_LIMITS.maxBatchSize}`,
      );
    }
    const texts = list.map((text, i) => validateText(text, `TextList[${i}]`));
    return {
      ResultList: texts.map((text, Index) => ({ Index, ...analyzeSentiment(text) })),
      ErrorList: [],
    };
  },
};

const json = (status: number, body: unknown): GatewayResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});

/**
 * Amazon Comprehend's sentiment APIs (`DetectSentiment`, `BatchDetectSentiment`) over JSON 1.1,
 * with the real limits and errors, scored by the local lexicon model.
 */
export const comprehendHandler: ServiceHandler = async (req: GatewayRequest) => {
  const target = req.headers['x-amz-target'] ?? '';
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = operations[name];
  if (!operation) {
    return awsError(
      400,
      'UnknownOperationException',
      `the local Comprehend serves ${Object.keys(operations).join(' and ')}, not '${target}'`,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    return awsError(400, 'SerializationException', 'the request body is not JSON');
  }
  // `null`, a list, a string: a client's mistake, answered as one (a 5xx would be retried).
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return awsError(400, 'SerializationException', 'the request body must be a JSON object');
  }
  try {
    return json(200, operation(input as Record<string, unknown>));
  } catch (err) {
    if (err instanceof ComprehendRequestError) return awsError(400, err.type, err.message);
    throw err;
  }
};
