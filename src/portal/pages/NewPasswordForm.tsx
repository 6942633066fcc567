import { Button, Input, Field } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { asSentence, PortalError } from '../api/errors';
import { Busy, ErrorNotice } from '../components/Notices';
import { PasswordField } from '../components/PasswordField';
import { useFormStyles } from '../components/forms';
import {
  newPasswordProblems,
  PASSWORD_HINT,
  passwordLengthNote,
  type NewPasswordProblems,
} from '../passwords';

/**
 * A new password and its confirmation (registration and reset). The server's
 * PASSWORD_REJECTED message appears on the password field itself.
 */
export function NewPasswordForm({
  address,
  submitLabel,
  busyLabel,
  onSubmit,
}: {
  /** Shown, not editable: the username the password belongs to (also for password managers). */
  address?: string | undefined;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (password: string, passwordConfirm: string) => Promise<void>;
}): ReactNode {
  const styles = useFormStyles();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = newPasswordProblems(password, confirm);
    setProblems(found);
    setError(undefined);
    if (found.password !== undefined || found.passwordConfirm !== undefined) return;
    setBusy(true);
    try {
      await onSubmit(password, confirm);
    } catch (err) {
      if (err instanceof PortalError && err.code === 'PASSWORD_REJECTED') {
        setProblems({
          password: err.message === '' ? 'Choose a different password.' : asSentence(err.message),
        });
      } else {
        setError(err);
      }
      setBusy(false);
    }
  };

  const note = passwordLengthNote(password);
  return (
    <form className={styles.form} noValidate onSubmit={(e) => void submit(e)} aria-label={submitLabel}>
      {address === undefined ? null : (
        <Field
          label="E-mail address (your username)"
          hint="This is the address the message was sent to; it cannot be changed here."
        >
          <Input value={address} readOnly appearance="filled-darker" autoComplete="username" />
        </Field>
      )}
      <PasswordField
        label="New password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        hint={
          <>
            {PASSWORD_HINT}
            {note === '' ? null : (
              <>
                <br />
                <span aria-live="polite">{note}</span>
              </>
            )}
          </>
        }
        error={problems.password}
      />
      <PasswordField
        label="Confirm new password"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        error={problems.passwordConfirm}
      />
      {error === undefined ? null : <ErrorNotice error={error} />}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>
          {submitLabel}
        </Button>
      </div>
      {busy ? <Busy label={busyLabel} /> : null}
    </form>
  );
}
