import type {
  LinkState,
  NewMessageRequest,
  PortalMessage,
  ReplyRequest,
  SessionInfo,
  SignInResult,
  Thread,
  ThreadSummary,
} from '../../shared/portal-api';
import { get, post, setCsrfToken } from './client';

/** The portal API, one function per route of the contract in src/shared/portal-api.ts. */

export interface Correspondent {
  address: string;
  name?: string;
}

/** The session as the page sees it. */
export type SessionState = SessionInfo;

/** Reads the session and takes its CSRF token. Not activity: the server's idle timer keeps running. */
export async function readSession(): Promise<SessionState> {
  const session = await get<SessionState>('/session', { quietSessionEnd: true });
  setCsrfToken(session.csrfToken);
  return session;
}

/**
 * Restarts the server's idle timer, for "Stay signed in" and while someone is
 * busy writing. Any signed-in read counts as activity except the session read;
 * the correspondents list is the lightest of them and changes nothing.
 */
export async function keepAlive(): Promise<void> {
  await get<unknown>('/correspondents');
}

export function readLink(): Promise<LinkState> {
  return get<LinkState>('/link', { quietSessionEnd: true });
}

export async function register(password: string, passwordConfirm: string): Promise<SignInResult> {
  const result = await post<SignInResult>(
    '/register',
    { password, passwordConfirm },
    { quietSessionEnd: true },
  );
  setCsrfToken(result.csrfToken);
  return result;
}

export async function signIn(address: string, password: string): Promise<SignInResult> {
  const result = await post<SignInResult>('/sign-in', { address, password }, { quietSessionEnd: true });
  setCsrfToken(result.csrfToken);
  return result;
}

export async function signOut(): Promise<void> {
  await post<unknown>('/sign-out', {}, { quietSessionEnd: true });
}

export async function forgotPassword(address: string): Promise<void> {
  await post<unknown>('/password/forgot', { address }, { quietSessionEnd: true });
}

/** Asks for a one-time sign-in link; the answer is the same whether or not the address has an account. */
export async function requestSignInLink(address: string): Promise<void> {
  await post<unknown>('/sign-in-link', { address }, { quietSessionEnd: true });
}

/** Signs in with the e-mailed link whose token the server keeps in a cookie. */
export async function signInWithLink(): Promise<SignInResult> {
  const result = await post<SignInResult>('/sign-in-link/use', {}, { quietSessionEnd: true });
  setCsrfToken(result.csrfToken);
  return result;
}

export async function resetPassword(password: string, passwordConfirm: string): Promise<void> {
  await post<unknown>('/password/reset', { password, passwordConfirm }, { quietSessionEnd: true });
}

export async function listThreads(): Promise<ThreadSummary[]> {
  return (await get<{ threads: ThreadSummary[] }>('/threads')).threads;
}

export function readThread(id: string): Promise<Thread> {
  return get<Thread>(`/threads/${encodeURIComponent(id)}`);
}

export async function reply(threadId: string, body: ReplyRequest): Promise<PortalMessage> {
  return (await post<{ message: PortalMessage }>(`/threads/${encodeURIComponent(threadId)}/reply`, body))
    .message;
}

export async function listCorrespondents(): Promise<Correspondent[]> {
  return (await get<{ correspondents: Correspondent[] }>('/correspondents')).correspondents;
}

export function sendNewMessage(
  body: NewMessageRequest,
): Promise<{ threadId: string; message: PortalMessage }> {
  return post<{ threadId: string; message: PortalMessage }>('/messages', body);
}

/** The download route of one attachment: a plain link, so the browser saves the file itself. */
export function attachmentUrl(messageId: string, attachmentId: string): string {
  return `/portal/api/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}`;
}
