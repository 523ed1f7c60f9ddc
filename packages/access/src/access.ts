import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FeedKeyStore } from './feed-key-store.js';
import type { Principal, PrincipalDirectory } from './principals.js';
import type { Session, SessionStore } from './session-store.js';

export const SESSION_COOKIE = 'lightbox_session';
export const CSRF_HEADER = 'x-csrf-token';

/** A refused request: `statusCode` and a stable `code`, rendered by the API's error handler. */
export class AccessError extends Error {
  override readonly name = 'AccessError';
  constructor(
    readonly statusCode: 401 | 403,
    readonly code: 'unauthorized' | 'forbidden' | 'csrf_failed',
    message: string,
  ) {
    super(message);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    session?: Session;
  }
}

/** What a request presented, and who that is. */
export interface Caller {
  principal?: Principal;
  /** The dashboard session, when the caller came with a valid session cookie. */
  session?: Session;
  sessionId?: string;
  /** An Authorization header that matches nobody: a guess, a revoked key, a typo. */
  badCredentials: boolean;
}

const CALLER = Symbol('lightbox.caller');

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = header.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : undefined;
}

/** True when the request says it comes from this origin (or says nothing, as non-browser clients do). */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return false;
  if (!origin) return true;
  try {
    const o = new URL(origin);
    // Compare as URLs of the origin's scheme, so default ports (":80", ":443") compare equal.
    return o.host === new URL(`${o.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

/**
 * Who may do what. Bearer tokens (feeds, scripts) or the dashboard's session cookie (httpOnly,
 * SameSite=Strict). Cookie-authenticated state changes must carry the session's CSRF token in
 * `X-CSRF-Token` and must not come from another origin.
 */
export class Access {
  constructor(
    readonly directory: PrincipalDirectory,
    readonly sessions: SessionStore,
    /** Feed keys admins created at run time. */
    readonly feeds?: FeedKeyStore,
    /** When true, gallery reads need a reader (or editor/admin) token. */
    readonly galleriesNeedToken = false,
  ) {}

  /**
   * Who presented what, looked up once per request (the rate limiter asks first, the route's
   * preHandler again). No CSRF check here: see `identify`.
   */
  caller(request: FastifyRequest): Promise<Caller> {
    const memo = request as FastifyRequest & { [CALLER]?: Promise<Caller> };
    memo[CALLER] ??= this.lookUp(request);
    return memo[CALLER];
  }

  private async lookUp(request: FastifyRequest): Promise<Caller> {
    const token = bearerToken(request);
    if (token !== undefined || request.headers.authorization !== undefined) {
      const known = token ? this.directory.identify(token) : undefined;
      if (known) return { principal: known, badCredentials: false };
      const feed = token ? await this.feeds?.lookup(token) : undefined;
      return feed
        ? { principal: { kind: 'feed', name: feed, feed }, badCredentials: false }
        : { badCredentials: true };
    }
    // Parsed by @fastify/cookie, which the API registers.
    const cookies = (request as unknown as { cookies?: Record<string, string | undefined> }).cookies;
    const sessionId = cookies?.[SESSION_COOKIE];
    const session = await this.sessions.get(sessionId);
    // An unknown or expired session cookie is not a guess (ids are 256 random bits): anonymous.
    return session
      ? { principal: session.principal, session, sessionId, badCredentials: false }
      : { badCredentials: false };
  }

  /** The caller, from a bearer token or a session cookie (CSRF checked for state changes). */
  async identify(request: FastifyRequest, { csrf = true } = {}): Promise<Principal | undefined> {
    const { principal, session } = await this.caller(request);
    if (!session) return principal;
    if (UNSAFE.has(request.method) && csrf) {
      const presented = request.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !sameText(presented, session.csrf) || !sameOrigin(request))
        throw new AccessError(
          403,
          'csrf_failed',
          'Missing or wrong CSRF token: reload the page and try again',
        );
    }
    request.session = session;
    return session.principal;
  }

  private async require(request: FastifyRequest, roles: Principal['kind'][], what: string, csrf = true) {
    const principal = await this.identify(request, { csrf });
    if (!principal)
      throw new AccessError(
        401,
        'unauthorized',
        `${what} is required: Authorization: Bearer <token>, or sign in`,
      );
    if (!roles.includes(principal.kind))
      throw new AccessError(
        403,
        'forbidden',
        principal.kind === 'feed'
          ? 'Feed keys can only push photos'
          : `This needs ${roles.join(' or ')} rights`,
      );
    request.principal = principal;
    return principal;
  }

  /** preHandler: only feed keys may push photos. */
  readonly requireFeed = async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await this.identify(request);
    if (!principal)
      throw new AccessError(401, 'unauthorized', 'A feed key is required: Authorization: Bearer <key>');
    if (principal.kind !== 'feed') throw new AccessError(403, 'forbidden', 'Only feed keys may push photos');
    request.principal = principal;
  };

  /** preHandler: editors and admins. */
  readonly requireEditor = async (request: FastifyRequest, _reply: FastifyReply) => {
    await this.require(request, ['editor', 'admin'], 'An editor token');
  };

  /** preHandler for published galleries: public, unless read tokens are configured. */
  readonly requireReader = async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!this.galleriesNeedToken) return;
    await this.require(request, ['reader', 'editor', 'admin'], 'A gallery read token');
  };

  /** preHandler: admins only. */
  readonly requireAdmin = async (request: FastifyRequest, _reply: FastifyReply) => {
    await this.require(request, ['admin'], 'An admin token');
  };

  /**
   * preHandler for bull-board: editors read, admins act. Its UI cannot send our CSRF header, so
   * state changes are accepted only from this origin (plus the SameSite=Strict cookie).
   */
  readonly requireQueueBoard = async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await this.require(request, ['editor', 'admin'], 'An editor token', false);
    if (UNSAFE.has(request.method)) {
      if (principal.kind !== 'admin')
        throw new AccessError(403, 'forbidden', 'The queue board is read-only for editors; admins can act');
      if (!sameOrigin(request)) throw new AccessError(403, 'csrf_failed', 'Cross-origin request refused');
    }
  };

  /** Signs in with a token: a session for editors and admins; feed keys and unknown tokens refused. */
  async signIn(token: string): Promise<{ id: string; session: Session }> {
    const principal = this.directory.identify(token.trim());
    if (!principal) throw new AccessError(401, 'unauthorized', 'Unknown token');
    if (principal.kind === 'feed')
      throw new AccessError(403, 'forbidden', 'Feed keys cannot sign in to the dashboard');
    if (principal.kind === 'reader')
      throw new AccessError(403, 'forbidden', 'Gallery read tokens cannot sign in to the dashboard');
    return this.sessions.create(principal);
  }

  /** The Set-Cookie value for a session (Secure when served over HTTPS). */
  sessionCookie(id: string, secure: boolean): string {
    return [
      `${SESSION_COOKIE}=${id}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${this.sessions.ttlSeconds}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ');
  }

  clearedCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}
