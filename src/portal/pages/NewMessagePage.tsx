import { Button, Field, Input, Link, Select, Textarea } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { listCorrespondents, sendNewMessage, type Correspondent } from '../api/portal';
import { AttachmentPicker } from '../components/Attachments';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import type { ChosenFile } from '../files';
import { personLabel } from '../format';
import { routeHash } from '../routing';
import { navigate } from '../use-route';

interface Problems {
  to?: string;
  subject?: string;
  text?: string;
}

/** A new secure message to a representative this recipient already corresponds with. */
export function NewMessagePage({ to: initialTo }: { to?: string | undefined }): ReactNode {
  const styles = useFormStyles();
  const [people, setPeople] = useState<Correspondent[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let live = true;
    listCorrespondents()
      .then((list) => {
        if (!live) return;
        setPeople(list);
        const wanted = list.find((p) => p.address.toLowerCase() === initialTo?.toLowerCase());
        setTo(wanted?.address ?? list[0]?.address ?? '');
      })
      .catch((err: unknown) => {
        if (live) setLoadError(err);
      });
    return () => {
      live = false;
    };
  }, [initialTo]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found: Problems = {
      ...(to === '' ? { to: 'Choose whom to write to.' } : {}),
      ...(subject.trim() === '' ? { subject: 'Enter a subject.' } : {}),
      ...(text.trim() === '' ? { text: 'Write your message first.' } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = await sendNewMessage({
        to,
        subject: subject.trim(),
        text,
        attachments: files.map(({ name, contentType, contentBase64 }) => ({
          name,
          contentType,
          contentBase64,
        })),
      });
      navigate({ name: 'thread', id: sent.threadId });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const state = (p: string | undefined): 'error' | 'none' => (p === undefined ? 'none' : 'error');
  let content: ReactNode;
  if (loadError !== undefined) content = <ErrorNotice error={loadError} />;
  else if (people === undefined) content = <Busy label="Loading…" />;
  else if (people.length === 0) {
    content = (
      <Notice intent="info">
        You can write here to a representative who has sent you a secure message. There is nobody yet.{' '}
        <Link href={routeHash({ name: 'inbox' })}>Back to inbox</Link>
      </Notice>
    );
  } else {
    content = (
      <div className={styles.card}>
        <form
          className={styles.wide}
          noValidate
          onSubmit={(e) => void submit(e)}
          aria-label="New secure message"
        >
          <Field label="To" required validationMessage={problems.to} validationState={state(problems.to)}>
            <Select
              value={to}
              onChange={(_e, d) => {
                setTo(d.value);
              }}
            >
              {people.map((p) => (
                <option key={p.address} value={p.address}>
                  {personLabel(p)}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Subject"
            required
            validationMessage={problems.subject}
            validationState={state(problems.subject)}
          >
            <Input
              value={subject}
              maxLength={200}
              onChange={(_e, d) => {
                setSubject(d.value);
              }}
            />
          </Field>
          <Field
            label="Message"
            required
            validationMessage={problems.text}
            validationState={state(problems.text)}
          >
            <Textarea
              value={text}
              rows={8}
              resize="vertical"
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
            <Link href={routeHash({ name: 'inbox' })}>Cancel</Link>
          </div>
          {busy ? <Busy label="Sending your message securely…" /> : null}
        </form>
      </div>
    );
  }
  return <Page title="New secure message">{content}</Page>;
}
