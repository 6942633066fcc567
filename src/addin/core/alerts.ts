/**
 * What a Smart Alert says: what was found, why the message cannot go as it
 * is, and what the sender can do. Never the sensitive value itself.
 */
import type { SendCompletion } from '../office/types';
import { noMailSentence, unsafeReason } from './decision-text';
import { SEND_SECURELY_COMMAND_ID } from './config';
import { joinWords } from './labels';

export interface AlertContext {
  /** "SSN and date of birth"; '' when the sender chose "send securely". */
  found: string;
  unprotected: readonly string[];
  /** Of those, consumer mail (always secure by policy) and domains that take no mail (see decide.ts). */
  consumer?: readonly string[];
  noMail?: readonly string[];
  taskpaneCommandId: string;
}

/** " x.example takes no mail at all: check the address…", or '' when none. */
function noMailNote(ctx: AlertContext): string {
  return ctx.noMail === undefined || ctx.noMail.length === 0 ? '' : ` ${noMailSentence(ctx.noMail)}`;
}

function domainsPhrase(domains: readonly string[]): string {
  const shown = domains.slice(0, 3);
  const more = domains.length - shown.length;
  return joinWords(more > 0 ? shown.concat(`${more} more`) : shown);
}

function block(ctx: AlertContext, text: string, markdown: string): SendCompletion {
  return {
    allowEvent: false,
    errorMessage: text,
    errorMessageMarkdown: markdown,
    commandId: ctx.taskpaneCommandId,
    cancelLabel: 'Review in Secure Envelope',
  };
}

/** A block whose way forward is to secure the message: where the client can, the alert's button does it. */
function blockOfferingSecure(ctx: AlertContext, text: string, markdown: string): SendCompletion {
  return { ...block(ctx, text, markdown), secureCommandId: SEND_SECURELY_COMMAND_ID };
}

/** "x.example has no verified TLS", or "gmail.com is consumer mail, which always goes securely". */
function why(ctx: AlertContext, mark?: (domains: string) => string): string {
  return unsafeReason(
    { unprotected: [...ctx.unprotected], consumer: [...(ctx.consumer ?? [])], noMail: [] },
    mark,
  );
}

const bold = (text: string): string => `**${text}**`;

function what(ctx: AlertContext): string {
  return ctx.found === '' ? 'You chose to send this message securely' : `This message contains ${ctx.found}`;
}

/** The backend (or sign-in) could not be reached: protected mail waits. */
export function unreachableAlert(ctx: AlertContext, cause: string): SendCompletion {
  const where =
    ctx.unprotected.length > 0
      ? ` for ${domainsPhrase(ctx.unprotected)}, which cannot receive it safely`
      : '';
  return block(
    ctx,
    `${what(ctx)}${where}. It must go as Secure Email, but ${cause}. Nothing was sent. ` +
      'Try again in a minute, or remove the sensitive data to send it normally.',
    `**Not sent.** ${what(ctx)}${where}.\n\nIt must go as Secure Email, but ${cause}.\n\n` +
      '- Try again in a minute, or\n- remove the sensitive data to send it normally.',
  );
}

/** The admin's policy blocks sensitive mail to unprotected domains. */
export function policyBlockAlert(ctx: AlertContext): SendCompletion {
  const d = domainsPhrase(ctx.unprotected);
  return blockOfferingSecure(
    ctx,
    `${what(ctx)}, and ${why(ctx)}.${noMailNote(ctx)} Your organization does not ` +
      `allow sending it as is. Remove the sensitive data, remove the recipients at ${d}, or turn on ` +
      '"Send securely" in Secure Envelope.',
    `**Not sent.** ${what(ctx)}, and ${why(ctx, bold)}.${noMailNote(ctx)}\n\n` +
      `Your organization does not allow sending it as is:\n\n- remove the sensitive data,\n` +
      `- remove the recipients at ${d}, or\n- turn on **Send securely** in Secure Envelope.`,
  );
}

/**
 * The admin's policy lets the sender send it as is, on the record: not
 * through Outlook's "Send anyway", which would leave no trace, but from the
 * task pane, where the sender says why and the override is recorded.
 */
export function promptAlert(ctx: AlertContext, reasonRequired: boolean): SendCompletion {
  const how = reasonRequired
    ? 'open Secure Envelope, say why it must go this way, and press Send again'
    : 'open Secure Envelope, confirm it (a reason is optional), and press Send again';
  return blockOfferingSecure(
    ctx,
    `${what(ctx)}, and ${why(ctx)}.${noMailNote(ctx)} Turn on "Send securely" in Secure Envelope, or ` +
      `remove the sensitive data. To send it as is, ${how}; your organization records it.`,
    `**Not sent yet.** ${what(ctx)}, and ${why(ctx, bold)}.${noMailNote(ctx)}\n\n` +
      '- Turn on **Send securely** in Secure Envelope, or\n- remove the sensitive data.\n\n' +
      `To send it as is, ${how}; your organization records it.`,
  );
}

/**
 * The message reached the secure mail service, or may have, and its answer
 * did not come back, nor could the service say afterwards what it did. The
 * send keeps its idempotency key, so sending again cannot make a second
 * secure message: it finishes the first if it was made.
 */
export function outcomeUnknownAlert(ctx: AlertContext): SendCompletion {
  return block(
    ctx,
    `${what(ctx)}, so it must go as Secure Email. Secure Envelope tried to send it through the secure mail ` +
      'service but got no answer, so it cannot tell whether it went: it may already have gone to the recipients ' +
      'as Secure Email. ' +
      'Send it again to finish: the service recognises this message and never sends it twice. Until then, do ' +
      'not tell anyone it was not sent.',
    `**Not confirmed.** ${what(ctx)}, so it must go as Secure Email. Secure Envelope tried to send it through the ` +
      'secure mail service but got no answer, so it cannot tell whether it went: it **may already have gone** ' +
      'to the recipients.\n\n' +
      '- Send it again to finish: the service recognises this message and never sends it twice.\n' +
      '- Until then, do not tell anyone it was not sent.',
  );
}

/** The server refused the message (too large, not allowed, invalid). */
export function refusedAlert(ctx: AlertContext, reason: string): SendCompletion {
  return block(
    ctx,
    `${what(ctx)}, so it must go as Secure Email, but the secure mail service refused it: ${reason}. Nothing was sent.`,
    `**Not sent.** ${what(ctx)}, so it must go as Secure Email, but the secure mail service refused it:\n\n> ${reason}`,
  );
}

/** An attachment Outlook cannot hand over (an attached item or a cloud link). */
export function unreadableAttachmentAlert(ctx: AlertContext, name: string): SendCompletion {
  return block(
    ctx,
    `${what(ctx)}, so it must go as Secure Email, but the attachment "${name}" cannot be sent that way. ` +
      'Attach it as a file, or remove it.',
    `**Not sent.** ${what(ctx)}, so it must go as Secure Email, but the attachment **${name}** cannot be ` +
      'sent that way. Attach it as a file, or remove it.',
  );
}

/** Something unexpected: protected mail is held, with a way forward. */
export function failedAlert(ctx: AlertContext): SendCompletion {
  return unreachableAlert(ctx, 'Secure Envelope could not finish preparing it');
}

/** The decision ran out of time (Outlook allows about five seconds). */
export function tooSlowAlert(): SendCompletion {
  return {
    allowEvent: false,
    errorMessage:
      'Secure Envelope could not finish checking this message in time, so it was not sent. Please send it again.',
  };
}
