import { Button, Field, Input, Link } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { signIn } from '../api/portal';
import { Busy, ErrorNotice } from '../components/Notices';
import { PasswordField } from '../components/PasswordField';
import { useFormStyles } from '../components/forms';
import { usePortal } from '../portal-context';
import { routeHash } from '../routing';

/** Username (the e-mail address) and password. */
export function SignInForm({ address: fixedAddress }: { address?: string }): ReactNode {
  const styles = useFormStyles();
  const portal = usePortal();
  const [address, setAddress] = useState(fixedAddress ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [missing, setMissing] = useState<{ address?: string; password?: string }>({});

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problems = {
      ...(address.trim() === '' ? { address: 'Enter your e-mail address.' } : {}),
      ...(password === '' ? { password: 'Enter your password.' } : {}),
    };
    setMissing(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await portal.signedIn(await signIn(address.trim(), password));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} noValidate onSubmit={(e) => void submit(e)} aria-label="Sign in">
      <Field
        label="E-mail address (your username)"
        required
        validationMessage={missing.address}
        validationState={missing.address === undefined ? 'none' : 'error'}
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
      <PasswordField
        label="Password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={missing.password}
      />
      {error === undefined ? null : <ErrorNotice error={error} />}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>
          Sign in
        </Button>
        <Link href={routeHash({ name: 'forgot' })}>Forgot your password?</Link>
        <Link href={routeHash({ name: 'email-link' })}>Email me a sign-in link</Link>
      </div>
      {busy ? <Busy label="Signing in…" /> : null}
    </form>
  );
}
