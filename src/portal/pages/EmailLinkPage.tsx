import { Button, Field, Input, Link } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { requestSignInLink } from '../api/portal';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { routeHash } from '../routing';

/**
 * Asks for a one-time sign-in link: the way in without the password, and the
 * only one while password sign-in to the address waits after others' guesses.
 * The answer is the same whether or not the address has an account.
 */
export function EmailLinkPage(): ReactNode {
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
      await requestSignInLink(value);
      setSentTo(value);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Email me a sign-in link">
      {sentTo !== undefined ? (
        <>
          <Notice intent="success" title="Check your e-mail">
            If {sentTo} has an account here, we have sent it a link to sign in. The link works once and only
            for a short time. Asked more than once? Use the newest link.
          </Notice>
          <p className={styles.lead}>
            No e-mail after a few minutes? Check your junk folder.{' '}
            <Link href={routeHash({ name: 'sign-in' })}>Back to sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p className={styles.lead}>
            Enter the e-mail address you sign in with. We will send a link there that signs you in once,
            without your password.
          </p>
          <div className={styles.card}>
            <form
              className={styles.form}
              noValidate
              onSubmit={(e) => void submit(e)}
              aria-label="Request a sign-in link"
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
                  Send sign-in link
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
