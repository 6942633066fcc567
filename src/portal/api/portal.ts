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

export async function readSession(): Promise<SessionInfo> {
  const session = await get<SessionInfo>('/session', { quietSessionEnd: true });
  setCsrfToken(session.csrfToken);
  return session;
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
