import type { ReactNode } from 'react';
import { Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { signInReasonText, type SignInReason } from '../routing';
import { SignInForm } from './SignInForm';

export function SignInPage({
  reason,
  note,
}: {
  reason?: SignInReason | undefined;
  /** The server's explanation, when it gave one, instead of the general one. */
  note?: string | undefined;
}): ReactNode {
  const styles = useFormStyles();
  const why = note ?? signInReasonText(reason);
  return (
    <Page title="Sign in">
      {why === undefined ? null : (
        <Notice intent={reason === 'signed-out' || reason === 'password-reset' ? 'success' : 'info'}>
          {why}
        </Notice>
      )}
      <p className={styles.lead}>
        Sign in with your e-mail address and the password you chose to read your secure messages.
      </p>
      <div className={styles.card}>
        <SignInForm />
      </div>
    </Page>
  );
}
