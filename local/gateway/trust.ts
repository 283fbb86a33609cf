/**
 * Who may drive the local cloud (README.md, "Security"). Programs on this machine may: the SDK,
 * the aws and cdk CLIs, the workshop's CLIs and functions send no `Origin` and name a loopback
 * host. Web pages may not, whatever they try: a browser marks their requests with `Origin` or
 * `Sec-Fetch-Site`, and a DNS-rebound page names its own host. With `--allow-remote`, other
 * machines may too, if they prove they know the secret the banner prints: SigV4 signed with it
 * (AWS calls), or `Authorization: Bearer <secret>` (the `/_wildrydes/` control endpoints).
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export interface TrustOptions {
  /** Other machines may connect (with the secret). */
  allowRemote?: boolean;
  /** What other machines must prove they know; required by `allowRemote`. */
  secret?: string;
  /** Web origins allowed to call (exact `scheme://host[:port]`); none by default. */
  allowedOrigins?: readonly string[];
  /** This machine's own addresses: a program here calling one of them is as local as on loopback. */
  ownAddresses?: ReadonlySet<string>;
}

/** A request as far as its headers: what trust is decided on, before any body is read. */
export interface RequestHead {
  method: string;
  url: string;
  /** Lower-cased names; `host` set (HTTP/2's `:authority`). */
  headers: Record<string, string>;
  /** The peer's address (`127.0.0.1`, `::ffff:10.0.0.5`). */
  peer?: string;
}

/** Let in as is, let in once its signature or token holds, or refused with why. */
export type TrustDecision =
  | { verdict: 'trusted' }
  | { verdict: 'prove'; by: 'sigv4' | 'token' }
  | { verdict: 'refused'; kind: 'denied' | 'unauthenticated'; message: string };

const SECURITY = 'see "Security" in the README';

/** Loopback addresses, `localhost` and its subdomains (RFC 6761), the unspecified address. */
export function isLoopbackName(name: string): boolean {
  const host = name.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  if (isIP(v4) === 4) return v4.startsWith('127.') || v4 === '0.0.0.0';
  return host === '::1' || host === '::';
}

const unbracket = (name: string) => {
  const bare = name.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.startsWith('::ffff:') ? bare.slice(7) : bare;
};

/** The host name of a `Host` header (`[::1]:4566` → `[::1]`, `localhost:4566` → `localhost`). */
export function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

const sameSecret = (given: string, secret: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Whether `head` (for `service`, `control` for `/_wildrydes/…`) may be served, or must prove itself. */
export function decideTrust(
  head: RequestHead,
  service: string | undefined,
  opts: TrustOptions,
): TrustDecision {
  const { origin } = head.headers;
  const fetchSite = head.headers['sec-fetch-site'];
  const allowedOrigin = origin !== undefined && (opts.allowedOrigins ?? []).includes(origin);
  if (origin !== undefined && !allowedOrigin) {
    return {
      verdict: 'refused',
      kind: 'denied',
      message: `the local cloud refuses requests from web pages (Origin: ${origin.slice(0, 200)}): only programs on this machine may call it (${SECURITY})`,
    };
  }
  if (!allowedOrigin && (fetchSite === 'cross-site' || fetchSite === 'same-site')) {
    return {
      verdict: 'refused',
      kind: 'denied',
      message: `the local cloud refuses requests from web pages (Sec-Fetch-Site: ${fetchSite}): only programs on this machine may call it (${SECURITY})`,
    };
  }
  const host = head.headers.host ?? '';
  const own = (name: string) => isLoopbackName(name) || (opts.ownAddresses?.has(unbracket(name)) ?? false);
  // A rebound page names its own domain as Host: only this machine's names and addresses pass.
  if (head.peer !== undefined && own(head.peer) && own(hostName(host))) return { verdict: 'trusted' };
  if (!opts.allowRemote || !opts.secret) {
    return {
      verdict: 'refused',
      kind: 'denied',
      message: `the local cloud answers only requests for a loopback host (127.0.0.1, localhost), not '${host.slice(0, 200)}': a page rebinding a domain to this machine? (${SECURITY})`,
    };
  }
  if (service !== 'control') return { verdict: 'prove', by: 'sigv4' };
  const bearer = /^Bearer (\S+)$/.exec(head.headers.authorization ?? '')?.[1];
  if (bearer && sameSecret(bearer, opts.secret)) return { verdict: 'trusted' };
  return {
    verdict: 'refused',
    kind: 'unauthenticated',
    message: `the local cloud's control endpoints need 'Authorization: Bearer <secret>' from another machine: export WILDRYDES_TOKEN=<the secret npm start printed> (${SECURITY})`,
  };
}

/** The error code AWS uses for a refusal of this kind, in the service's vocabulary. */
export function refusalCode(
  kind: 'denied' | 'unauthenticated',
  service: string | undefined,
  form: boolean,
): string {
  const xml = service === 's3' || service === 'sns' || service === 'sts' || service === 'iam' || form;
  if (kind === 'denied') return xml ? 'AccessDenied' : 'AccessDeniedException';
  if (service === 's3') return 'AccessDenied';
  return xml ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException';
}
