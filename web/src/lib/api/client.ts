/**
 * The one way the app talks to the server: `request` (fetch, POST /graphql) for queries and
 * mutations, `subscribe` (one shared graphql-ws socket) for live streams. Both carry the access
 * token; an expired one is refreshed once (single flight, also across tabs) and the call retried.
 *
 * Tokens: the access token lives in memory only; the refresh token in localStorage so a reload
 * stays signed in. Every refresh uses the stored token up and stores the next one (rotation).
 *
 * Server codes (photonix_rt/http/graphql.py, http/subscriptions.py): HTTP 401 or a GraphQL error
 * `UNAUTHENTICATED` = bad/expired access token; socket close 4403 = bad credentials at
 * connection_init (an expired token too), 4401 = subscribed before the ack. 503 and network
 * failures are retryable: callers keep what they show and try again.
 */
import type { Client, ExecutionResult } from 'graphql-ws/client';
import { backoffDelay } from './backoff';
import type { TypedDocumentString } from './gql/graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT'
  | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE' | 'NETWORK' | 'INTERNAL' | (string & {});

export class ApiError extends Error {
  code: ErrorCode;
  retryable: boolean;
  status?: number;

  constructor(message: string, code: ErrorCode, retryable = false, status?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.retryable = retryable;
    this.status = status;
  }
}

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; username: string; isAdmin: boolean };
}

const REFRESH_KEY = 'photonix.refreshToken';
const ENDPOINT = '/graphql';
/** Refresh this long before the access token expires (clock skew, slow networks). */
const EXPIRY_MARGIN_MS = 30_000;

let accessToken: string | null = null;
let accessExpiresAt = 0;
let refreshing: Promise<string | null> | null = null;

// ---- listeners: the session module turns these into UI state ---------------------------------

type Reachability = 'ok' | 'unreachable';
const expiredListeners = new Set<() => void>();
const reachabilityListeners = new Set<(state: Reachability) => void>();
let reachability: Reachability = 'ok';

/** Called when the session can no longer be refreshed (sign in again). */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

/** Called when the server stops or starts answering. */
export function onReachability(listener: (state: Reachability) => void): () => void {
  reachabilityListeners.add(listener);
  return () => reachabilityListeners.delete(listener);
}

function setReachability(state: Reachability): void {
  if (state === reachability) return;
  reachability = state;
  for (const listener of reachabilityListeners) listener(state);
}

// ---- tokens ---------------------------------------------------------------------------------

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (private mode, embedded): the session lasts one page
  }
}

/** Store the tokens of a sign-in or refresh. */
export function setSession(payload: AuthPayload): void {
  accessToken = payload.accessToken;
  accessExpiresAt = Date.now() + payload.expiresIn * 1000;
  storage()?.setItem(REFRESH_KEY, payload.refreshToken);
}

/** Forget every token (sign-out); the socket closes too. */
export function clearSession(): void {
  accessToken = null;
  accessExpiresAt = 0;
  storage()?.removeItem(REFRESH_KEY);
  resetSocket();
}

/** True when a refresh token is stored (a reload may resume the session). */
export function hasStoredSession(): boolean {
  return Boolean(storage()?.getItem(REFRESH_KEY));
}

/** The refresh token, for `logout`. */
export function storedRefreshToken(): string | null {
  return storage()?.getItem(REFRESH_KEY) ?? null;
}

/** A valid access token, refreshing first when it is missing or about to expire. */
export async function freshAccessToken(force = false): Promise<string | null> {
  if (!force && accessToken && Date.now() < accessExpiresAt - EXPIRY_MARGIN_MS) return accessToken;
  if (!hasStoredSession()) return accessToken;
  return refresh(force ? accessToken : null);
}

/**
 * Single flight: every caller waiting for a new token shares one refresh. `stale` is the token
 * that was refused: if another caller already replaced it, no second refresh is made.
 */
function refresh(stale: string | null): Promise<string | null> {
  if (stale !== null && accessToken !== null && accessToken !== stale) {
    return Promise.resolve(accessToken);
  }
  refreshing ??= withTabLock(runRefresh).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Tabs share the stored refresh token; reusing a used one ends the session, so take turns. */
async function withTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return task();
  return locks.request('photonix.refresh', task);
}

async function runRefresh(): Promise<string | null> {
  const stored = storage()?.getItem(REFRESH_KEY);
  if (!stored) return null;
  const body = JSON.stringify({
    query: REFRESH_QUERY,
    variables: { refreshToken: stored },
    operationName: 'Refresh',
  });
  let result: GraphQLResponse<{ refreshToken: AuthPayload }>;
  try {
    result = await post(body, null);
  } catch (error) {
    if (error instanceof ApiError && !error.retryable) {
      expire();
      return null;
    }
    throw error; // unreachable: keep the refresh token and try again later
  }
  const payload = result.data?.refreshToken;
  if (!payload) {
    const first = result.errors?.[0];
    if (first?.extensions?.code === 'RATE_LIMITED') {
      throw new ApiError(first.message, 'RATE_LIMITED', true);
    }
    expire();
    return null;
  }
  setSession(payload);
  return payload.accessToken;
}

// Kept in step with operations/session.ts's Refresh (sent here without importing the
// generated module, so this file stays usable from any bundle).
const REFRESH_QUERY = `mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    accessToken refreshToken expiresIn user { id username isAdmin }
  }
}`;

function expire(): void {
  const had = accessToken !== null || hasStoredSession();
  accessToken = null;
  accessExpiresAt = 0;
  storage()?.removeItem(REFRESH_KEY);
  resetSocket();
  if (had) for (const listener of expiredListeners) listener();
}

// ---- queries and mutations -------------------------------------------------------------------

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: GraphQLError[];
}

async function post<R>(body: string, token: string | null,
                       signal?: AbortSignal): Promise<GraphQLResponse<R>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers, body, signal });
  } catch (error) {
    if (signal?.aborted) throw error; // the caller gave up: not a network problem
    setReachability('unreachable');
    throw new ApiError('The server cannot be reached', 'NETWORK', true);
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    setReachability('unreachable');
    throw new ApiError('The server is unavailable', 'SERVICE_UNAVAILABLE', true, response.status);
  }
  setReachability('ok');
  let parsed: GraphQLResponse<R>;
  try {
    parsed = (await response.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`Unexpected reply (HTTP ${response.status})`, 'INTERNAL',
                       response.status >= 500, response.status);
  }
  if (response.status === 401) {
    throw new ApiError(parsed.errors?.[0]?.message ?? 'Sign in again', 'UNAUTHENTICATED', false,
                       401);
  }
  if (!response.ok && !parsed.errors?.length) {
    throw new ApiError(`HTTP ${response.status}`, response.status >= 500 ? 'INTERNAL' : 'HTTP',
                       response.status >= 500, response.status);
  }
  return parsed;
}

function errorOf(errors: GraphQLError[], status?: number): ApiError {
  const first = errors[0];
  const code = first?.extensions?.code ?? 'INTERNAL';
  return new ApiError(first?.message ?? 'Request failed', code, code === 'RATE_LIMITED', status);
}

/** Run a query or mutation; rejects with ApiError (`retryable` for 503 and network errors). */
export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V,
                                    opts: { signal?: AbortSignal } = {}): Promise<R> {
  const body = JSON.stringify({ query: doc.toString(), variables: variables ?? {} });
  let token = await freshAccessToken();
  for (let attempt = 0; ; attempt++) {
    let result: GraphQLResponse<R>;
    try {
      result = await post<R>(body, token, opts.signal);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED' && token && attempt === 0) {
        token = await refresh(token);
        if (token) continue;
      }
      throw error;
    }
    if (result.errors?.length) {
      const error = errorOf(result.errors);
      // A token that expired between the check and the server: refresh once and retry.
      if (error.code === 'UNAUTHENTICATED' && token && attempt === 0 && !result.data) {
        token = await refresh(token);
        if (token) continue;
      }
      if (!result.data) throw error;
    }
    if (!result.data) throw new ApiError('Empty reply', 'INTERNAL');
    return result.data;
  }
}

// ---- subscriptions --------------------------------------------------------------------------

let socket: Client | null = null;
const socketListeners = new Set<(state: 'connected' | 'closed') => void>();

/** Connected/closed notifications of the shared socket (the live indicator listens). */
export function onSocket(listener: (state: 'connected' | 'closed') => void): () => void {
  socketListeners.add(listener);
  return () => socketListeners.delete(listener);
}

function socketUrl(): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${ENDPOINT}`;
}

// graphql-ws loads on first use: it is not needed for the first paint of the timeline.
let wsModule: Promise<typeof import('graphql-ws/client')> | null = null;

async function sharedSocket(): Promise<Client> {
  wsModule ??= import('graphql-ws/client');
  const { createClient } = await wsModule;
  socket ??= createClient({
    url: socketUrl,
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive: 20_000, // a ping: finds a dead socket (phone slept, Wi-Fi changed) in time
    // Reconnects are ours (subscribe() below): each one resumes with fresh variables.
    retryAttempts: 0,
    connectionParams: async () => ({ token: await freshAccessToken() }),
    on: {
      connected: () => {
        setReachability('ok');
        for (const listener of socketListeners) listener('connected');
      },
      closed: () => {
        for (const listener of socketListeners) listener('closed');
      },
    },
  });
  return socket;
}

function resetSocket(): void {
  const old = socket;
  socket = null;
  void old?.dispose();
}

interface CloseLike {
  code: number;
  reason?: string;
}

function isClose(value: unknown): value is CloseLike {
  return typeof value === 'object' && value !== null && 'code' in value
    && typeof (value as CloseLike).code === 'number';
}

/**
 * Subscribe; `variables` may be a function, read again at every reconnect (so a resume can pass
 * the latest `since`). Retryable problems are reported to `sink.error` with `retryable: true`
 * and the subscription carries on; a final one (forbidden, expired session, a refused
 * operation) is reported and the subscription ends. Returns the unsubscribe function.
 */
export function subscribe<R, V>(doc: TypedDocumentString<R, V>, variables: V | (() => V),
                                sink: { next(data: R): void; error?(e: ApiError): void;
                                        connected?(): void }): () => void {
  let stopped = false;
  let attempt = 0;
  let refusedAfterRefresh = false;
  let dispose: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const query = doc.toString();

  const start = (): void => {
    timer = null;
    if (stopped) return;
    sharedSocket().then(open, (error: unknown) => {
      // The module itself failed to load (offline after an upgrade): retry like a network error.
      console.warn('graphql-ws failed to load', error);
      retryLater(new ApiError('The server cannot be reached', 'NETWORK', true));
    });
  };

  const open = (client: Client): void => {
    if (stopped) return;
    const vars = typeof variables === 'function' ? (variables as () => V)() : variables;
    let settled = false;
    const offConnected = client.on('connected', () => {
      attempt = 0;
      refusedAfterRefresh = false;
      sink.connected?.();
    });
    const finish = (): void => {
      settled = true;
      offConnected();
      dispose = null;
    };
    dispose = client.subscribe<R>(
      { query, variables: vars as Record<string, unknown> },
      {
        next: (message: ExecutionResult<R>) => {
          if (message.errors?.length) {
            sink.error?.(errorOf(message.errors as unknown as GraphQLError[]));
          } else if (message.data) {
            sink.next(message.data);
          }
        },
        error: (error: unknown) => {
          if (settled) return;
          finish();
          void handle(error);
        },
        complete: () => {
          if (settled) return;
          finish();
          if (!stopped) retryLater(new ApiError('The stream ended', 'NETWORK', true));
        },
      },
    );
    // A fresh connection may already be open: graphql-ws emits `connected` only once per socket.
    if (socketConnected) {
      attempt = 0;
      sink.connected?.();
    }
  };

  const retryLater = (error: ApiError): void => {
    if (stopped) return;
    sink.error?.(error);
    timer = setTimeout(start, backoffDelay(attempt++));
  };

  const fail = (error: ApiError): void => {
    stopped = true;
    sink.error?.(error);
  };

  const handle = async (error: unknown): Promise<void> => {
    if (stopped) return;
    if (Array.isArray(error)) {
      // The server refused the operation itself (NOT_FOUND library, FORBIDDEN...).
      const apiError = errorOf(error as GraphQLError[]);
      if (apiError.retryable) retryLater(apiError);
      else fail(apiError);
      return;
    }
    if (isClose(error) && (error.code === 4403 || error.code === 4401)) {
      // 4403: the token was refused (expired, most likely); 4401: we subscribed too early.
      // Refresh and reconnect once; refused again right after a refresh means no access.
      if (error.code === 4403 && refusedAfterRefresh) {
        fail(new ApiError('The server refused this session', 'FORBIDDEN'));
        return;
      }
      refusedAfterRefresh = error.code === 4403;
      resetSocket();
      try {
        const token = await freshAccessToken(true);
        if (!token) {
          fail(new ApiError('Sign in again', 'UNAUTHENTICATED'));
          return;
        }
      } catch (refreshError) {
        retryLater(refreshError instanceof ApiError ? refreshError
          : new ApiError('The server cannot be reached', 'NETWORK', true));
        return;
      }
      if (!stopped) start();
      return;
    }
    if (isClose(error) && error.code === 4005 && !hasStoredSession() && !accessToken) {
      fail(new ApiError('Sign in again', 'UNAUTHENTICATED'));
      return;
    }
    setReachability('unreachable');
    retryLater(new ApiError('The server cannot be reached', 'NETWORK', true));
  };

  start();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    dispose?.();
  };
}

let socketConnected = false;
onSocket((state) => {
  socketConnected = state === 'connected';
});
