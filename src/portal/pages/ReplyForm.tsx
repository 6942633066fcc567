import { Button, Field, Textarea } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { PortalMessage } from '../../shared/portal-api';
import { reply } from '../api/portal';
import { AttachmentPicker } from '../components/Attachments';
import { Busy, ErrorNotice } from '../components/Notices';
import { useFormStyles } from '../components/forms';
import type { ChosenFile } from '../files';

/** A secure reply in the thread: text and optional attachments. */
export function ReplyForm({
  threadId,
  to,
  onSent,
}: {
  threadId: string;
  to: string;
  onSent: (message: PortalMessage) => void;
}): ReactNode {
  const styles = useFormStyles();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setMissing(text.trim() === '');
    if (text.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = await reply(threadId, {
        text,
        attachments: files.map(({ name, contentType, contentBase64 }) => ({
          name,
          contentType,
          contentBase64,
        })),
      });
      setText('');
      setFiles([]);
      onSent(sent);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.wide} noValidate onSubmit={(e) => void submit(e)} aria-labelledby="reply-heading">
      <h2 id="reply-heading" style={{ margin: 0, fontSize: '1.15rem' }}>
        Reply securely
      </h2>
      <Field
        label={`Your reply to ${to}`}
        required
        validationMessage={missing ? 'Write your reply first.' : undefined}
        validationState={missing ? 'error' : 'none'}
      >
        <Textarea
          value={text}
          resize="vertical"
          rows={6}
          onChange={(_e, d) => {
            setText(d.value);
          }}
        />
      </Field>
      <AttachmentPicker files={files} onChange={setFiles} disabled={busy} />
      {error === undefined ? null : <ErrorNotice error={error} />}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>
          Send securely
        </Button>
      </div>
      {busy ? <Busy label="Sending your reply securely…" /> : null}
    </form>
  );
}
