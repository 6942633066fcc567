import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Notice } from './Notices';
import { useFormStyles } from './forms';

export interface Contact {
  name?: string | undefined;
  address: string;
}

/**
 * An expired or withdrawn message, said plainly, with whom to ask for it
 * again — instead of a generic error.
 */
export function Unavailable({
  kind,
  sender,
  supportContact,
}: {
  kind: 'expired' | 'revoked';
  sender?: Contact | undefined;
  supportContact?: string | undefined;
}): ReactNode {
  const styles = useFormStyles();
  const name = sender?.name?.trim() ?? '';
  // A name that is only the address again would read twice.
  const who = name !== '' && name.toLowerCase() !== sender?.address.toLowerCase() ? name : 'the sender';
  return (
    <>
      <Notice
        intent="warning"
        title={kind === 'expired' ? 'This message has expired' : 'This message was withdrawn'}
      >
        {kind === 'expired'
          ? 'Secure messages can be read only for a limited time, to protect the information in them. This one can no longer be opened.'
          : `${who === 'the sender' ? 'The sender' : who} withdrew this secure message, so it can no longer be opened.`}
      </Notice>
      {sender === undefined ? null : (
        <p className={styles.lead}>
          If you still need it, contact {who}
          {who === 'the sender' ? '' : ','} at <Link href={`mailto:${sender.address}`}>{sender.address}</Link>
          , and ask them to send it again.
        </p>
      )}
      {supportContact === undefined || supportContact.trim() === '' ? null : (
        <p className={styles.lead}>For help with secure messages: {supportContact}</p>
      )}
    </>
  );
}
