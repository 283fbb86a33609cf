import { refusal } from '../gateway/refusal.ts';
import type { ServiceHandler } from '../types.ts';

/**
 * SNS's rule for a Publish subject, as the API reference states it: "UTF-8 text with no line
 * breaks or control characters, and less than 100 characters long". fauxqs takes any subject, and
 * an email subject with line breaks is a header injection, so the gateway applies the rule first.
 */
export function subjectProblem(subject: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(subject)) return 'line breaks or control characters';
  if ([...subject].length >= 100) return '100 characters or more';
  return undefined;
}

/** The subjects a form-encoded Publish or PublishBatch carries. */
export function subjectsOf(form: URLSearchParams): string[] {
  if (form.get('Action') === 'Publish') return form.has('Subject') ? [form.get('Subject') ?? ''] : [];
  if (form.get('Action') !== 'PublishBatch') return [];
  return [...form.entries()]
    .filter(([key]) => /^PublishBatchRequestEntries\.member\.\d+\.Subject$/.test(key))
    .map(([, value]) => value);
}

/**
 * Refuses a Publish/PublishBatch with a bad subject as SNS does (400 `InvalidParameter`,
 * "Invalid parameter: Subject"). A batch is refused whole: AWS does not document whether it fails
 * only the entry, and refusing more is the safe side.
 */
export function refuseBadSubjects(next: ServiceHandler): ServiceHandler {
  return async (req) => {
    const contentType = req.headers['content-type'];
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) return next(req);
    const form = new URLSearchParams(req.body.toString('utf8'));
    for (const subject of subjectsOf(form)) {
      const problem = subjectProblem(subject);
      if (problem) {
        return refusal(
          'sns',
          contentType,
          400,
          'InvalidParameter',
          `Invalid parameter: Subject (it has ${problem})`,
        );
      }
    }
    return next(req);
  };
}
