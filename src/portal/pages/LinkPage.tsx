import { Link } from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import type { LinkState } from '../../shared/portal-api';
import { readLink, register } from '../api/portal';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { Unavailable } from '../components/Unavailable';
import { useFormStyles } from '../components/forms';
import { usePortal } from '../portal-context';
import { routeHash } from '../routing';
import { navigate } from '../use-route';
import { NewPasswordForm } from './NewPasswordForm';
import { SignInForm } from './SignInForm';

function title(link: LinkState | undefined): string {
  switch (link?.state) {
    case 'register':
      return 'Create your password';
    case 'sign-in':
      return 'Sign in to read your message';
    case 'expired':
      return 'This message has expired';
    case 'revoked':
      return 'This message was withdrawn';
    case 'invalid':
      return 'This link cannot be opened';
    default:
      return 'Your secure message';
  }
}

/** Where a secure link lands: registration the first time, sign-in later, the message when signed in. */
export function LinkPage(): ReactNode {
  const styles = useFormStyles();
  const portal = usePortal();
  const [link, setLink] = useState<LinkState | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let live = true;
    readLink()
      .then((state) => {
        if (!live) return;
        if (state.state === 'open') navigate({ name: 'thread', id: state.threadId }, { replace: true });
        else setLink(state);
      })
      .catch((err: unknown) => {
        if (live) setError(err);
      });
    return () => {
      live = false;
    };
  }, []);

  let content: ReactNode;
  if (error !== undefined) content = <ErrorNotice error={error} />;
  else if (link === undefined) content = <Busy label="Opening your secure message…" />;
  else {
    switch (link.state) {
      case 'register':
        content = (
          <>
            <p className={styles.lead}>
              {link.senderName} sent you a secure message. Choose a password to read it. Next time, sign in
              with your e-mail address and this password.
            </p>
            <div className={styles.card}>
              <NewPasswordForm
                address={link.address}
                submitLabel="Create password and read"
                busyLabel="Creating your account…"
                onSubmit={async (password, confirm) => {
                  await portal.signedIn(await register(password, confirm));
                }}
              />
            </div>
          </>
        );
        break;
      case 'sign-in':
        content = (
          <>
            <p className={styles.lead}>You have an account already. Sign in to read the message.</p>
            <div className={styles.card}>
              <SignInForm address={link.address} />
            </div>
          </>
        );
        break;
      case 'expired':
      case 'revoked':
        content = (
          <Unavailable
            kind={link.state}
            sender={{ name: link.senderName, address: link.senderAddress }}
            supportContact={link.supportContact}
          />
        );
        break;
      case 'invalid':
        content = (
          <>
            <Notice intent="warning">
              This secure link is not valid. It may have been copied incompletely, or it is too old.
            </Notice>
            <p className={styles.lead}>
              If you have an account, <Link href={routeHash({ name: 'sign-in' })}>sign in</Link> to see your
              messages. Otherwise, ask the sender to send the message again.
            </p>
          </>
        );
        break;
      case 'open':
        content = <Busy label="Opening your secure message…" />;
        break;
    }
  }
  return <Page title={title(link)}>{content}</Page>;
}
