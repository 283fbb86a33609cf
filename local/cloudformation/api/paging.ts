/** `NextToken` paging of list answers: an opaque token for the offset of the next page. */
import { StackRequestError } from '../request-errors.ts';

/** One page of `items` from `token`'s offset, and the token of the next page if there is one. */
export function page<T>(
  items: readonly T[],
  token: string | undefined,
  size = 100,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(start) || start < 0) throw new StackRequestError('Invalid NextToken');
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined,
  };
}
