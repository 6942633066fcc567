import { Button, Link } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { PortalError } from '../api/errors';
import { signInWithLink } from '../api/portal';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { usePortal } from '../portal-context';
import { routeHash } from '../routing';

/**
 * Reached from an e-mailed sign-in link (the server keeps its token in a
 * cookie). Signing in waits for a click: programs that open links in mail to
 * check them must not spend a link that works only once.
 */
export function EmailLinkSignInPage(): ReactNode {
  const styles = useFormStyles();
  const portal = usePortal();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [linkInvalid, setLinkInvalid] = useState(false);

  const go = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await portal.signedIn(await signInWithLink());
    } catch (err) {
      if (err instanceof PortalError && err.code === 'TOKEN_NOT_VALID') setLinkInvalid(true);
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <Page title="Sign in with your e-mailed link">
      {linkInvalid ? (
        <>
          <Notice intent="warning" title="This sign-in link no longer works">
            It was already used, or it is too old. Sign-in links work once and only for a short time.
          </Notice>
          <p className={styles.lead}>
            <Link href={routeHash({ name: 'email-link' })}>Email me a new sign-in link</Link> or{' '}
            <Link href={routeHash({ name: 'sign-in' })}>sign in with your password</Link>.
          </p>
        </>
      ) : (
        <>
          <p className={styles.lead}>
            This link signs you in to your secure messages once, without a password.
          </p>
          {error === undefined ? null : <ErrorNotice error={error} />}
          <div className={styles.actions}>
            <Button appearance="primary" disabled={busy} onClick={() => void go()}>
              Sign in
            </Button>
          </div>
          {busy ? <Busy label="Signing in…" /> : null}
        </>
      )}
    </Page>
  );
}
