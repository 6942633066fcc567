import type { Decision, Unprotected } from './decide';
import { joinWords } from './labels';

/** The decision that will apply on send, in one sentence for the task pane (two when an address looks wrong). */
export function decisionSentence(d: Decision, found: string): string {
  const sentence = mainSentence(d, found);
  return d.kind === 'allow' || d.noMail.length === 0 ? sentence : `${sentence} ${noMailSentence(d.noMail)}`;
}

/** Said of domains that take no mail: the address is probably mistyped. */
export function noMailSentence(domains: readonly string[]): string {
  const one = domains.length === 1;
  return (
    `${joinWords(domains.slice(0, 3))} ${one ? 'takes' : 'take'} no mail at all: ` +
    `check the address${one ? '' : 'es'}, ${one ? 'it' : 'they'} may be mistyped.`
  );
}

/**
 * Why the domains are unsafe, each worded for what it is: consumer mail goes
 * securely by the organisation's rule, the others for want of verified TLS.
 */
export function unsafeReason(d: Unprotected, mark: (domains: string) => string = (x) => x): string {
  const consumer = d.unprotected.filter((x) => d.consumer.includes(x));
  const others = d.unprotected.filter((x) => !d.consumer.includes(x));
  const parts: string[] = [];
  if (consumer.length > 0)
    parts.push(
      `${mark(listed(consumer))} ${consumer.length === 1 ? 'is' : 'are'} consumer mail, which always goes securely`,
    );
  if (others.length > 0)
    parts.push(`${mark(listed(others))} ${others.length === 1 ? 'has' : 'have'} no verified TLS`);
  return parts.join(', and ');
}

function listed(domains: readonly string[]): string {
  const shown = domains.slice(0, 3);
  const more = domains.length - shown.length;
  return joinWords(more > 0 ? shown.concat(`${more} more`) : shown);
}

function mainSentence(d: Decision, found: string): string {
  switch (d.kind) {
    case 'allow':
      if (d.reason !== 'protected')
        return d.reason === 'internal'
          ? 'Every recipient is in your organization: it will be sent as is.'
          : 'Nothing sensitive found: it will be sent as is.';
      if (d.trusted.length === 0)
        return `Found ${found}, but every recipient's mail server takes verified TLS: it will be sent as is.`;
      return (
        `Found ${found}, but ${listed(d.trusted)} ${d.trusted.length === 1 ? 'is' : 'are'} on your ` +
        "organization's trusted list" +
        (d.measured.length > 0
          ? ` and ${listed(d.measured)} ${d.measured.length === 1 ? 'takes' : 'take'} verified TLS`
          : '') +
        ': it will be sent as is.'
      );
    case 'secure':
      if (d.reason === 'forced') return 'You chose Send securely: it will go as Secure Email.';
      return `Found ${found}, and ${unsafeReason(d)}: it will go as Secure Email.`;
    case 'block':
      return `Found ${found}, and ${unsafeReason(d)}: your organization blocks sending it. Remove the data or those recipients.`;
    case 'prompt':
      return `Found ${found}, and ${unsafeReason(d)}: turn on Send securely, or send it as is below, on the record.`;
  }
}
