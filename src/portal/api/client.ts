import axios, { type AxiosError, type AxiosRequestConfig } from 'axios';
import { ERROR_STATUS, type ErrorCode } from '../../shared/errors';
import { isApiErrorBody, PortalError } from './errors';

/**
 * The HTTP layer: every call goes to `/portal/api/` on this origin with the
 * session cookie; every state-changing call carries the CSRF token the server
 * handed out; every failure becomes a PortalError with the API's code.
 */

const http = axios.create({
  baseURL: '/portal/api',
  timeout: 120_000,
  withCredentials: true,
  headers: { accept: 'application/json' },
});

let csrfToken = '';
/** Called whenever the server issues a token (session read, sign-in, registration). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Listeners told when the API says the session is gone, so the app can return to sign-in. */
const sessionEndedListeners = new Set<(error: PortalError) => void>();
export function onSessionEnded(listener: (error: PortalError) => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Listeners told about every successful call, which the server counts as activity. */
const contactListeners = new Set<() => void>();
export function onServerContact(listener: () => void): () => void {
  contactListeners.add(listener);
  return () => contactListeners.delete(listener);
}

function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/** The API's error body as a PortalError; anything else (a proxy's HTML page, no answer) gets a client code. */
export function toApiError(status: number | undefined, body: unknown): PortalError {
  if (status === undefined || status === 0) return new PortalError('NETWORK', '', 0);
  if (isApiErrorBody(body)) {
    return new PortalError(isKnownCode(body.code) ? body.code : 'UNKNOWN', body.message, status);
  }
  if (status === 401) return new PortalError('SESSION_REQUIRED', '', status);
  if (status === 429) return new PortalError('RATE_LIMITED', '', status);
  if (status >= 500) return new PortalError('INTERNAL', '', status);
  return new PortalError('UNKNOWN', '', status);
}

async function request<T>(
  config: AxiosRequestConfig,
  options: { quietSessionEnd?: boolean } = {},
): Promise<T> {
  const method = (config.method ?? 'get').toLowerCase();
  const headers: Record<string, string> = {};
  if (method !== 'get' && method !== 'head') headers['x-csrf-token'] = csrfToken;
  try {
    const response = await http.request<T>({ ...config, headers });
    for (const listener of contactListeners) listener();
    return response.data;
  } catch (error) {
    const e = error as AxiosError;
    const failure = toApiError(e.response?.status, e.response?.data);
    if (failure.code === 'SESSION_REQUIRED' && options.quietSessionEnd !== true) {
      for (const listener of sessionEndedListeners) listener(failure);
    }
    throw failure;
  }
}

export function get<T>(url: string, options?: { quietSessionEnd?: boolean }): Promise<T> {
  return request<T>({ method: 'get', url }, options);
}

export function post<T>(url: string, body?: unknown, options?: { quietSessionEnd?: boolean }): Promise<T> {
  return request<T>({ method: 'post', url, data: body ?? {} }, options);
}
