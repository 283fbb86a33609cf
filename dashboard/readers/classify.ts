import { describeAwsError } from '../../core/errors.ts';
import type { SourceState } from '../protocol.ts';

/** How a failed read reads on the page: which state, and a one-line reason. */
export function classify(
  err: unknown,
  where: { endpoint?: string; region?: string },
): {
  state: SourceState;
  reason: string;
} {
  const name = (err as { name?: string })?.name ?? '';
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? String(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  if (name === 'ResourceNotFoundException') return { state: 'missing', reason: 'not found' };
  // A stopped local cloud refuses connections; one stopping mid-request resets them.
  if (
    /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|TimeoutError/.test(
      `${name} ${text}`,
    )
  ) {
    return { state: 'unreachable', reason: text.trim().split('\n')[0] ?? '' };
  }
  const described = describeAwsError(err, where);
  return {
    state: 'error',
    reason: described?.message ?? `${name}: ${(err as Error)?.message ?? String(err)}`,
  };
}
