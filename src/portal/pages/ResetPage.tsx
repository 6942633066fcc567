import { Link } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { PortalError } from '../api/errors';
import { readSession, resetPassword } from '../api/portal';
import { Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { routeHash } from '../routing';
import { navigate } from '../use-route';
import { NewPasswordForm } from './NewPasswordForm';

/** Reached from the reset link (the server keeps its token in a cookie): a new password, then sign-in. */
export function ResetPage(): ReactNode {
  const styles = useFormStyles();
  const [linkInvalid, setLinkInvalid] = useState(false);
  return (
    <Page title="Choose a new password">
      {linkInvalid ? (
        <>
          <Notice intent="warning" title="This reset link no longer works">
            It was already used, or it is too old. Reset links work once and only for a short time.
          </Notice>
          <p className={styles.lead}>
            <Link href={routeHash({ name: 'forgot' })}>Request a new reset link</Link> or{' '}
            <Link href={routeHash({ name: 'sign-in' })}>sign in</Link>.
          </p>
        </>
      ) : (
        <>
          <p className={styles.lead}>
            Choose a new password for your secure messages. You will be signed out everywhere else.
          </p>
          <div className={styles.card}>
            <NewPasswordForm
              submitLabel="Save new password"
              busyLabel="Saving…"
              onSubmit={async (password, confirm) => {
                try {
                  await resetPassword(password, confirm);
                } catch (error) {
                  if (error instanceof PortalError && error.code === 'TOKEN_NOT_VALID') {
                    setLinkInvalid(true);
                    return;
                  }
                  throw error;
                }
                // Every session ended: fetch a fresh CSRF token for the sign-in that follows.
                await readSession().catch(() => undefined);
                navigate({ name: 'sign-in', reason: 'password-reset' }, { replace: true });
              }}
            />
          </div>
        </>
      )}
    </Page>
  );
}
