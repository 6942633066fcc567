import type { Decision } from './decide';
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

function mainSentence(d: Decision, found: string): string {
  const domains = d.kind === 'allow' ? '' : joinWords(d.unprotected.slice(0, 3));
  const lacks = d.kind !== 'allow' && d.unprotected.length === 1 ? 'has' : 'have';
  switch (d.kind) {
    case 'allow':
      if (d.reason === 'internal') return 'Every recipient is in your organization: it will be sent as is.';
      if (d.reason === 'clean') return 'Nothing sensitive found: it will be sent as is.';
      return `Found ${found}, but every recipient's mail server takes verified TLS: it will be sent as is.`;
    case 'secure':
      if (d.reason === 'forced') return 'You chose Send securely: it will go as Secure Email.';
      return `Found ${found}, and ${domains} ${lacks} no verified TLS: it will go as Secure Email.`;
    case 'block':
      return `Found ${found}, and ${domains} ${lacks} no verified TLS: your organization blocks sending it. Remove the data or those recipients.`;
    case 'prompt':
      return `Found ${found}, and ${domains} ${lacks} no verified TLS: Outlook will ask you to confirm before sending.`;
  }
}
