/**
 * The on-send decision (Outlook's OnMessageSend event), start to finish:
 * read the draft, apply the policy, detect locally, ask for TLS verdicts of
 * external domains, then allow, secure or block. The rules:
 *
 * - Open for ordinary mail: internal-only or non-sensitive mail is allowed
 *   whatever the server's state (the built-in policy stands in for it).
 * - Closed for protected mail: if sensitive mail must go as Secure Email and
 *   anything on that path fails, the send is blocked with a message; the
 *   original is never sent.
 * - Outlook waits about five seconds: every call has a budget, and a watchdog
 *   completes the event with the safe answer known so far. `completed` is
 *   called exactly once on every path.
 */
import type {
  CreateEnvelopeRequest,
  CreateEnvelopeResponse,
  EnvelopeOutcomeResponse,
  Notice,
} from '../../shared/api';
import { escapeHtml } from '../../shared/html';
import type { OrgPolicy } from '../../shared/org-policy';
import { scanMessage } from '../../detect/index';
import { extractPortable } from '../../extract/portable';
import type { AttachmentInfo, ComposeItem, MailHost, SendCompletion, SendEvent } from '../office/types';
import {
  type AlertContext,
  failedAlert,
  outcomeUnknownAlert,
  policyBlockAlert,
  promptAlert,
  refusedAlert,
  tooSlowAlert,
  unreachableAlert,
  unreadableAttachmentAlert,
} from './alerts';
import { readAttachments } from './attachment-text';
import type { AddinConfig } from './config';
import { type Deadline, deadlineIn } from './deadline';
import { type Decision, decide, settledByPolicy } from './decide';
import { type FetchLike, HttpFailure, requestJson } from './http';
import { idempotencyKey, randomId } from './idempotency';
import { foundSummary, summarizeTypes } from './labels';
import { draftDigest, overrideFor } from './override';
import type { PolicyResult, PolicySource } from './policy-source';
import { allAddresses, externalDomains } from './recipients';
import type { DomainVerdict, TlsSource } from './tls-source';
import { TokenFailure, type TokenSource } from './token-source';

/** Draft property the task pane's "Send securely" switch sets ("1" when on). */
export const SEND_SECURELY_PROPERTY = 'secureEnvelopeSendSecurely';
/** Session data: this compose session's random id (part of every idempotency key). */
const COMPOSE_ID_KEY = 'se.composeId';
/** Session data: an envelope made for this draft whose swap has not finished. */
const PENDING_KEY = 'se.pending';

/**
 * The envelope this draft was sent as, once the notice has replaced its
 * content; null while it is a draft. The task pane asks, so it shows the
 * message as sent instead of scanning the notice.
 */
export async function sentEnvelope(
  item: Pick<ComposeItem, 'getSessionValue'>,
): Promise<{ id: string; copyKept: boolean } | null> {
  const pending = parsePending(await item.getSessionValue(PENDING_KEY).catch(() => null));
  return pending !== null && pending.done ? { id: pending.id, copyKept: pending.copyKept === true } : null;
}
/** The header stamped on a secured message. */
export const ENVELOPE_HEADER = 'X-Secure-Envelope-Id';

export interface OnSendDeps {
  config: AddinConfig;
  fetch: FetchLike;
  policies: PolicySource;
  tls: TlsSource;
  tokens: TokenSource;
  now?: () => number;
  /** Time the decision may take (default 4000 ms, inside Outlook's 5 s). */
  budgetMs?: number;
  /** When the watchdog completes with the safe answer (default 4500 ms). */
  watchdogMs?: number;
  /** Told the outcome of every send, for the harness and benchmarks. */
  onOutcome?: (outcome: SendOutcome) => void;
}

export interface SendOutcome {
  decision: Decision | null;
  result: 'allowed' | 'secured' | 'blocked' | 'prompted';
  envelopeId?: string;
  /** Set when flagged mail went as is under an override the sender recorded. */
  overrideId?: string;
  /** Where the time went, for the bench. */
  elapsedMs: number;
  policySource?: 'server' | 'cache' | 'builtin';
}

interface Pending {
  id: string;
  notice: Notice;
  done: boolean;
  /** Whom the message was for: the draft's own recipients are replaced while it is sealed. */
  recipients?: string[];
  /** Outlook's copy keeps what was written and goes to the sender alone (not the notice in its place). */
  copyKept?: boolean;
}

/** What the watchdog may answer: updated as the decision learns more. */
interface Progress {
  /** The answer if time runs out now. */
  fallback: SendCompletion;
  decision: Decision | null;
  /** Whether the fallback was chosen knowing something about the message. */
  informed: boolean;
  policySource?: PolicyResult['source'];
}

const ALLOW: SendCompletion = { allowEvent: true };

/** The function Outlook calls: completes `event` exactly once, within the watchdog's time. */
export function createOnSendHandler(deps: OnSendDeps): (event: SendEvent, host: MailHost) => void {
  const now = deps.now ?? Date.now;
  return (event, host) => {
    const started = now();
    const progress: Progress = { fallback: tooSlowAlert(), decision: null, informed: false };
    let done = false;
    const finish = (completion: SendCompletion, envelopeId?: string, overrideId?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(watchdog);
      const outcome: SendOutcome = {
        decision: progress.decision,
        result: !completion.allowEvent
          ? completion.promptUser === true
            ? 'prompted'
            : 'blocked'
          : envelopeId !== undefined
            ? 'secured'
            : 'allowed',
        elapsedMs: now() - started,
      };
      if (envelopeId !== undefined) outcome.envelopeId = envelopeId;
      if (overrideId !== undefined) outcome.overrideId = overrideId;
      if (progress.policySource !== undefined) outcome.policySource = progress.policySource;
      try {
        event.completed(completion);
      } finally {
        deps.onOutcome?.(outcome);
      }
    };
    const watchdog = setTimeout(() => {
      finish(progress.fallback);
    }, deps.watchdogMs ?? 4500);
    decideSend(host, deps, progress, deadlineIn(deps.budgetMs ?? 4000, now)).then(
      (r) => {
        finish(r.completion, r.envelopeId, r.overrideId);
      },
      () => {
        // A bug or an Outlook failure: the safest answer known so far.
        finish(progress.informed ? progress.fallback : failedAlert(emptyCtx(deps)));
      },
    );
  };
}

function emptyCtx(deps: OnSendDeps): AlertContext {
  return { found: '', unprotected: [], taskpaneCommandId: deps.config.taskpaneCommandId };
}

interface Result {
  completion: SendCompletion;
  envelopeId?: string;
  /** The recorded override that let flagged mail go as is. */
  overrideId?: string;
}

async function decideSend(
  host: MailHost,
  deps: OnSendDeps,
  progress: Progress,
  deadline: Deadline,
): Promise<Result> {
  const item = host.item();
  const [recipients, subject, html, attachments, forced, pendingRaw] = await Promise.all([
    item.getRecipients(),
    item.getSubject(),
    item.getBodyHtml(),
    item.getAttachments(),
    item.getDraftProperty(SEND_SECURELY_PROPERTY).catch(() => null),
    item.getSessionValue(PENDING_KEY),
  ]);
  const pending = parsePending(pendingRaw);
  if (pending !== null && !pending.done) {
    // A previous send made the envelope but could not finish the swap:
    // finish it now rather than send what is left of the original.
    progress.fallback = failedAlert(emptyCtx(deps));
    progress.informed = true;
    await sealForSending(item, pending, { recipients, html, attachments }, host.userAddress());
    return { completion: ALLOW, envelopeId: pending.id };
  }
  const forceSecure = forced === '1';
  const policyResult = await deps.policies.get(item, host.userAddress(), deadline.budget(1500));
  progress.policySource = policyResult.source;
  const policy = policyResult.policy;
  const external = externalDomains(recipients, policy);

  if (!forceSecure && external.length === 0) {
    progress.decision = { kind: 'allow', reason: 'internal' };
    return { completion: ALLOW };
  }
  const readable = await readForScan(item, attachments, deadline);
  const scan = scanMessage(
    { subject, body: html, bodyType: 'html', attachments: readable },
    policy.detection,
  );
  const unread = scan.unscannedAttachments.map((i) => readable[i]?.name ?? `attachment ${i + 1}`);
  const unreadRisk = unread.length > 0 && (policy.unscannedAttachments ?? 'secure') !== 'allow';
  const found = foundSummary(summarizeTypes(scan.findings.map((f) => f.type)), unreadRisk ? unread : []);
  if (!scan.sensitive && !unreadRisk && !forceSecure) {
    progress.decision = { kind: 'allow', reason: 'clean' };
    return { completion: ALLOW };
  }
  const ctx: AlertContext = {
    found: forceSecure ? '' : found,
    unprotected: external,
    taskpaneCommandId: deps.config.taskpaneCommandId,
  };
  // From here the message is protected: any failure blocks it.
  progress.fallback = unreachableAlert(ctx, 'Secure Envelope took too long to reach its server');
  progress.informed = true;

  let verdicts = new Map<string, DomainVerdict>();
  const toCheck = forceSecure ? [] : external.filter((d) => !settledByPolicy(d, policy));
  if (toCheck.length > 0) {
    try {
      verdicts = await deps.tls.verdicts(item, toCheck, deadline.budget(2000));
    } catch {
      // No verdict means not protected: decide() treats those domains as unsafe.
    }
  }
  const decision = decide({
    externalDomains: external,
    sensitive: scan.sensitive,
    unscanned: unread.length > 0,
    forceSecure,
    policy,
    verdicts,
  });
  progress.decision = decision;
  if (decision.kind === 'allow') return { completion: ALLOW };
  ctx.unprotected = decision.unprotected;
  ctx.consumer = decision.consumer;
  ctx.noMail = decision.noMail;
  if (decision.kind === 'block') return { completion: policyBlockAlert(ctx) };
  if (decision.kind === 'prompt') {
    // Sent as is only with an override recorded for this very draft (see override.ts).
    const draft = draftDigest(recipients, subject, html, attachments);
    const overrideId = await overrideFor(item, draft);
    if (overrideId !== null) return { completion: ALLOW, overrideId };
    return { completion: promptAlert(ctx, policy.overrideReason !== 'optional') };
  }
  progress.fallback = unreachableAlert(ctx, 'the secure mail service did not answer in time');
  return secureSend(host, item, deps, deadline, ctx, progress, {
    recipients,
    subject,
    html,
    attachments,
    policy,
  });
}

function parsePending(raw: string | null): Pending | null {
  if (raw === null) return null;
  try {
    const p = JSON.parse(raw) as Partial<Pending>;
    return typeof p.id === 'string' && typeof p.notice === 'object' ? (p as Pending) : null;
  } catch {
    return null;
  }
}

/**
 * Attachments as text, with the extraction the event runtime can carry
 * everywhere (no PDF: see docs/decisions/attachment-extraction.md). What
 * cannot be read is left without text: the engine reports it unscanned and
 * the policy decides. Extraction gets at most a third of the time left, so
 * the TLS check and the envelope still fit in Outlook's five seconds.
 */
function readForScan(
  item: ComposeItem,
  attachments: readonly AttachmentInfo[],
  deadline: Deadline,
): ReturnType<typeof readAttachments> {
  return readAttachments(item, attachments, extractPortable, {
    maxMillis: Math.max(200, Math.min(1500, Math.floor(deadline.left() / 3))),
  });
}

interface Draft {
  recipients: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  html: string;
  attachments: AttachmentInfo[];
  policy: OrgPolicy;
}

async function secureSend(
  host: MailHost,
  item: ComposeItem,
  deps: OnSendDeps,
  deadline: Deadline,
  ctx: AlertContext,
  progress: Progress,
  draft: Draft,
): Promise<Result> {
  const files: CreateEnvelopeRequest['attachments'] = [];
  for (const a of draft.attachments) {
    const b64 = a.kind === 'file' ? await item.getAttachmentBase64(a.id).catch(() => null) : null;
    if (b64 === null) return { completion: unreadableAttachmentAlert(ctx, a.name) };
    files.push({ name: a.name, contentType: contentTypeOf(a.name), contentBase64: b64 });
  }
  let token: string;
  try {
    token = await deps.tokens.get(host, deadline.budget(1500));
  } catch (e) {
    const cause =
      e instanceof TokenFailure && e.kind === 'unavailable'
        ? 'you are not signed in to Secure Envelope (open it from the ribbon to sign in)'
        : 'the secure mail service cannot be reached';
    return { completion: unreachableAlert(ctx, cause) };
  }
  const request: CreateEnvelopeRequest = {
    from: host.userAddress(),
    to: draft.recipients.to,
    cc: draft.recipients.cc,
    bcc: draft.recipients.bcc,
    subject: draft.subject,
    html: draft.html,
    attachments: files,
  };
  const fingerprint = requestFingerprint(request);
  let composeId = await item.getSessionValue(COMPOSE_ID_KEY);
  if (composeId === null) {
    composeId = randomId();
    await item.setSessionValue(COMPOSE_ID_KEY, composeId);
  }
  const key = idempotencyKey(composeId, fingerprint);
  // Leave time for the swap that follows, and for asking what happened if the answer is lost.
  const postMs = deadline.left() - SWAP_RESERVE_MS - OUTCOME_RESERVE_MS;
  // Not handed over at all: that much is certain.
  if (postMs <= 0)
    return { completion: unreachableAlert(ctx, 'the secure mail service did not answer in time') };
  // Once the request is out, the server may make the envelope whatever
  // happens to its answer: "nothing was sent" is no longer known to be true.
  progress.fallback = outcomeUnknownAlert(ctx);
  let envelope: CreateEnvelopeResponse;
  try {
    const { body: answer } = await requestJson<CreateEnvelopeResponse>(
      deps.fetch,
      `${deps.config.apiBase}/v1/envelopes`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: request,
        timeoutMs: postMs,
      },
    );
    envelope = answer;
  } catch (e) {
    const lost = e instanceof HttpFailure && (e.kind === 'unreachable' || e.kind === 'timeout');
    if (!lost) {
      if (e instanceof HttpFailure && e.status === 409) {
        // The key already names other content (a sampled attachment changed where
        // the fingerprint does not look), or an earlier try under it was stopped:
        // a fresh compose id gives the next try a fresh key.
        await item.setSessionValue(COMPOSE_ID_KEY, randomId()).catch(() => undefined);
      }
      return { completion: envelopeFailure(ctx, e) };
    }
    // The request may have been made and only its answer lost: ask, so the
    // sender is told what is true rather than what is likely.
    const outcome = await askOutcome(deps, token, key, deadline);
    if (outcome === undefined) return { completion: outcomeUnknownAlert(ctx) };
    if (outcome.status === 'not-sent') {
      // The server now refuses this key, so the next try needs a new one.
      await item.setSessionValue(COMPOSE_ID_KEY, randomId()).catch(() => undefined);
      return { completion: envelopeFailure(ctx, e) };
    }
    envelope = outcome.envelope;
  }
  const pending: Pending = {
    id: envelope.id,
    notice: envelope.notice,
    done: false,
    recipients: allAddresses(draft.recipients),
  };
  await item.setSessionValue(PENDING_KEY, JSON.stringify(pending)).catch(() => undefined);
  await sealForSending(item, pending, draft, host.userAddress());
  return { completion: ALLOW, envelopeId: envelope.id };
}

/** Time kept back for putting the notice in place once the envelope is made. */
const SWAP_RESERVE_MS = 400;
/** Time kept back for asking what became of a send whose answer was lost. */
const OUTCOME_RESERVE_MS = 700;

/**
 * What became of the send under `key`, or undefined when the server cannot
 * say in the time left (then nobody knows, and the sender is told that).
 */
async function askOutcome(
  deps: OnSendDeps,
  token: string,
  key: string,
  deadline: Deadline,
): Promise<EnvelopeOutcomeResponse | undefined> {
  try {
    const { body } = await requestJson<unknown>(deps.fetch, `${deps.config.apiBase}/v1/envelopes/outcome`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      timeoutMs: Math.max(0, deadline.left() - SWAP_RESERVE_MS),
    });
    // Anything but one of the two answers leaves the outcome unknown.
    const answer = body as { status?: unknown; envelope?: Partial<CreateEnvelopeResponse> } | null;
    if (answer?.status === 'not-sent') return { status: 'not-sent' };
    const envelope = answer?.status === 'sent' ? answer.envelope : undefined;
    if (typeof envelope?.id !== 'string' || typeof envelope.notice?.html !== 'string') return undefined;
    return { status: 'sent', envelope: envelope as CreateEnvelopeResponse };
  } catch {
    return undefined;
  }
}

/** Marks the line that says where the message went, so a retried seal does not add it twice. */
const COPY_MARK = 'data-secure-envelope-copy';

/**
 * Makes the draft safe for Outlook to send once its envelope exists. Each
 * recipient gets exactly one e-mail: the server's notice with their own link.
 * Outlook's copy goes to the sender alone, with what they wrote and a line
 * saying where it went, so Sent Items keeps the message and nothing of it
 * leaves the organisation. The new recipients are read back before the
 * message may go; if Outlook would not take them, the content is replaced by
 * the notice instead (it holds nothing), as a last line of defence.
 */
async function sealForSending(
  item: ComposeItem,
  pending: Pending,
  draft: Pick<Draft, 'recipients' | 'html' | 'attachments'>,
  sender: string,
): Promise<void> {
  try {
    await item.setRecipients({ to: [sender], cc: [], bcc: [] });
    const now = allAddresses(await item.getRecipients());
    if (now.length === 0 || now.some((a) => a.toLowerCase() !== sender.toLowerCase())) {
      throw new Error('Outlook kept other recipients');
    }
    if (draft.html.indexOf(COPY_MARK) < 0) {
      await item.prependBodyHtml(copyLine(pending.id, pending.recipients ?? allAddresses(draft.recipients)));
    }
    await item.setInternetHeaders({ [ENVELOPE_HEADER]: pending.id });
    await finishSeal(item, { ...pending, copyKept: true });
  } catch {
    await swapInNotice(item, pending, draft.attachments);
  }
}

/** The line above the sender's own copy: where the message went, and how it travelled. */
function copyLine(envelopeId: string, recipients: readonly string[]): string {
  return (
    `<div ${COPY_MARK}="1" style="border:1px solid #c8a400;background:#fff8db;padding:8px 12px;` +
    `margin:0 0 12px;font-family:Segoe UI,Arial,sans-serif;font-size:13px;color:#1b1b1b">` +
    `<strong>Sent as Secure Email</strong> to ${escapeHtml(recipients.join(', '))}. ` +
    'Each recipient got a notice with a personal secure link; this copy went only to you and stays in ' +
    `your organization. Reference ${escapeHtml(envelopeId)}.</div>`
  );
}

/** The draft is sealed: not sent securely again if Outlook retries, and the task pane knows it went. */
async function finishSeal(item: ComposeItem, pending: Pending): Promise<void> {
  await item.setDraftProperty(SEND_SECURELY_PROPERTY, null).catch(() => undefined);
  await item.setSessionValue(PENDING_KEY, JSON.stringify({ ...pending, done: true })).catch(() => undefined);
}

/** Puts the notice in place of the message: body, subject, no attachments, the envelope header. */
async function swapInNotice(
  item: ComposeItem,
  pending: Pending,
  attachments: readonly AttachmentInfo[],
): Promise<void> {
  await item.setBodyHtml(pending.notice.html);
  await item.setSubject(pending.notice.subject);
  for (const a of attachments) await item.removeAttachment(a.id);
  await item.setInternetHeaders({ [ENVELOPE_HEADER]: pending.id });
  // The notice itself must not be sent securely again if Outlook's send is retried.
  await finishSeal(item, pending);
}

/** Attachments larger than this are fingerprinted by samples, so hashing stays fast at send. */
const FULL_HASH_CHARS = 1024 * 1024;
const SAMPLE_CHARS = 4096;

/**
 * What the idempotency key digests: the request as sent, except that a large
 * attachment counts by its name, length and samples spread over its content
 * (the JavaScript-only runtime would need seconds to hash 35 MB).
 */
export function requestFingerprint(request: CreateEnvelopeRequest): string {
  const attachments = request.attachments.map((a) => {
    const c = a.contentBase64;
    if (c.length <= FULL_HASH_CHARS) return a;
    let sample = '';
    const step = Math.floor(c.length / 64);
    for (let i = 0; i < 64; i++) sample += c.slice(i * step, i * step + SAMPLE_CHARS / 16);
    return {
      name: a.name,
      contentType: a.contentType,
      contentBase64: `${c.length}:${c.slice(0, SAMPLE_CHARS)}:${sample}:${c.slice(-SAMPLE_CHARS)}`,
    };
  });
  return JSON.stringify({ ...request, attachments });
}

function envelopeFailure(ctx: AlertContext, e: unknown): SendCompletion {
  if (!(e instanceof HttpFailure)) return failedAlert(ctx);
  if (e.kind === 'timeout') return unreachableAlert(ctx, 'the secure mail service did not answer in time');
  if (e.kind === 'unreachable') return unreachableAlert(ctx, 'the secure mail service cannot be reached');
  if (e.code === 'SEND_WITHDRAWN') {
    return unreachableAlert(ctx, 'an earlier try to send it was stopped before it went (send it again)');
  }
  if (e.status === 409) {
    return unreachableAlert(ctx, 'the draft changed while it was being sent (send it again)');
  }
  if (e.status === 401) {
    return unreachableAlert(
      ctx,
      'your sign-in was not accepted (open Secure Envelope from the ribbon to sign in again)',
    );
  }
  if (e.status === 429 || e.status >= 500)
    return unreachableAlert(ctx, 'the secure mail service is busy or unavailable');
  return refusedAlert(ctx, e.message);
}

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  htm: 'text/html',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 ? TYPES[name.slice(dot + 1).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

export type { FetchLike };
