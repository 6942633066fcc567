import { Button, Field, MessageBar, MessageBarBody, Textarea } from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import { OVERRIDE_REASON_MAX } from '../../shared/api';
import { HttpFailure } from '../core/http';
import { recordOverride } from '../core/override';
import type { Analysis } from '../core/analyze';
import type { Services } from './services';

/**
 * Sending flagged mail as is, where the policy allows it: the sender says
 * why, the server records it, and the next press of Send lets this draft go.
 * Editing the draft afterwards needs a new override.
 */
export function SendAsIs({
  services,
  override,
  reasonRequired,
  onRecorded,
}: {
  services: Services;
  override: NonNullable<Analysis['override']>;
  reasonRequired: boolean;
  onRecorded: () => void;
}): ReactElement {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (override.recordedId !== null) {
    return (
      <MessageBar intent="warning" data-testid="override-recorded">
        <MessageBarBody>
          Recorded: press Send to send this message as is. If you change it, it is checked again.
        </MessageBarBody>
      </MessageBar>
    );
  }
  const missing = reasonRequired && reason.trim() === '';
  const submit = (): void => {
    setBusy(true);
    setError(null);
    const item = services.host.item();
    recordOverride(
      item,
      { fetch: services.fetch, apiBase: services.config.apiBase, token: () => services.token() },
      override.request(reason),
    ).then(
      () => {
        setBusy(false);
        onRecorded();
      },
      (e: unknown) => {
        setBusy(false);
        setError(
          e instanceof HttpFailure && e.kind === 'status'
            ? e.message
            : 'the secure mail service cannot be reached',
        );
      },
    );
  };
  return (
    <section aria-labelledby="send-as-is-heading">
      <h2 id="send-as-is-heading" style={{ fontSize: 'inherit', margin: '0 0 4px' }}>
        Send as is
      </h2>
      <Field
        label={
          reasonRequired
            ? 'Why must it go without Secure Email?'
            : 'Why must it go without Secure Email? (optional)'
        }
        required={reasonRequired}
        hint="Your organization records this with what was found (never the values). Do not quote the sensitive data."
      >
        <Textarea
          id="override-reason"
          value={reason}
          maxLength={OVERRIDE_REASON_MAX}
          resize="vertical"
          onChange={(_e, data) => {
            setReason(data.value);
          }}
        />
      </Field>
      <Button id="override-record" appearance="secondary" disabled={busy || missing} onClick={submit}>
        Record and allow sending as is
      </Button>
      {error !== null && (
        <MessageBar intent="error">
          <MessageBarBody>Not recorded: {error}.</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
