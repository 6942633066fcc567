import { Button, Field, Input, Link } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { forgotPassword } from '../api/portal';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { routeHash } from '../routing';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPage(): ReactNode {
  const styles = useFormStyles();
  const [address, setAddress] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const value = address.trim();
    setMissing(value === '');
    if (value === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await forgotPassword(value);
      setSentTo(value);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Forgot your password?">
      {sentTo !== undefined ? (
        <>
          <Notice intent="success" title="Check your e-mail">
            If {sentTo} has an account here, we have sent it a link to choose a new password. The link works
            once and only for a short time.
          </Notice>
          <p className={styles.lead}>
            No e-mail after a few minutes? Check your junk folder, or{' '}
            <Link
              href={routeHash({ name: 'forgot' })}
              onClick={(e) => {
                e.preventDefault();
                setSentTo(undefined);
              }}
            >
              try again
            </Link>
            . <Link href={routeHash({ name: 'sign-in' })}>Back to sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p className={styles.lead}>
            Enter the e-mail address you sign in with. We will send a link there to choose a new password.
          </p>
          <div className={styles.card}>
            <form
              className={styles.form}
              noValidate
              onSubmit={(e) => void submit(e)}
              aria-label="Request a reset link"
            >
              <Field
                label="E-mail address"
                required
                validationMessage={missing ? 'Enter your e-mail address.' : undefined}
                validationState={missing ? 'error' : 'none'}
              >
                <Input
                  type="email"
                  value={address}
                  autoComplete="username"
                  inputMode="email"
                  autoCapitalize="off"
                  spellCheck={false}
                  onChange={(_e, d) => {
                    setAddress(d.value);
                  }}
                />
              </Field>
              {error === undefined ? null : <ErrorNotice error={error} />}
              <div className={styles.actions}>
                <Button type="submit" appearance="primary" disabled={busy}>
                  Send reset link
                </Button>
                <Link href={routeHash({ name: 'sign-in' })}>Back to sign in</Link>
              </div>
              {busy ? <Busy label="Sending…" /> : null}
            </form>
          </div>
        </>
      )}
    </Page>
  );
}
