import { Link, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import type { PortalMessage, Thread } from '../../shared/portal-api';
import { PortalError } from '../api/errors';
import { readThread } from '../api/portal';
import { AttachmentList } from '../components/Attachments';
import { MessageBody } from '../components/MessageBody';
import { Busy, ErrorNotice, Notice } from '../components/Notices';
import { Page } from '../components/Page';
import { Unavailable } from '../components/Unavailable';
import { useFormStyles } from '../components/forms';
import { expiryText, formatDateTime, isExpired, personLabel } from '../format';
import { routeHash } from '../routing';
import { rememberedThread } from '../threads-cache';
import { ReplyForm } from './ReplyForm';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  message: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  mine: { borderLeft: `4px solid ${tokens.colorPaletteGreenBorderActive}` },
  header: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: tokens.spacingHorizontalM,
    rowGap: '2px',
    margin: 0,
    fontSize: tokens.fontSizeBase200,
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  subject: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: 'anywhere',
  },
});

function MessageCard({ message, index }: { message: PortalMessage; index: number }): ReactNode {
  const styles = useStyles();
  const headingId = `message-${index}-heading`;
  const rows: [string, string][] = [
    ['From', message.direction === 'out' ? `You (${message.from})` : message.from],
    ['To', [...message.to, ...message.cc].join(', ')],
    ['Sent', formatDateTime(message.sentAt)],
    ['Readable', expiryText(message.expiresAt, Date.now())],
  ];
  return (
    <li>
      <article
        className={message.direction === 'out' ? `${styles.message} ${styles.mine}` : styles.message}
        aria-labelledby={headingId}
      >
        <h2 id={headingId} className={styles.subject}>
          {message.direction === 'out' ? 'You wrote' : `From ${message.from}`}
          {message.subject === '' ? '' : `: ${message.subject}`}
        </h2>
        <dl className={styles.header}>
          {rows.map(([term, value]) => (
            <div key={term} style={{ display: 'contents' }}>
              <dt className={styles.term}>{term}</dt>
              <dd className={styles.value}>{value}</dd>
            </div>
          ))}
        </dl>
        <MessageBody
          html={message.html}
          text={message.text}
          label={`Message from ${message.from}, sent ${formatDateTime(message.sentAt)}`}
        />
        <AttachmentList
          messageId={message.id}
          attachments={message.attachments}
          headingId={`message-${index}-attachments`}
        />
      </article>
    </li>
  );
}

/** One conversation, oldest message first, with the reply form under it. */
export function ThreadPage({ id }: { id: string }): ReactNode {
  const styles = useStyles();
  const form = useFormStyles();
  const [thread, setThread] = useState<Thread | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    setThread(undefined);
    setError(undefined);
    readThread(id)
      .then((t) => {
        if (live) setThread(t);
      })
      .catch((err: unknown) => {
        if (live) setError(err);
      });
    return () => {
      live = false;
    };
  }, [id]);

  const summary = rememberedThread(id);
  const gone =
    error instanceof PortalError && (error.code === 'EXPIRED' || error.code === 'REVOKED')
      ? error.code
      : undefined;
  const title = thread?.subject ?? summary?.subject ?? 'Conversation';
  const messages =
    thread === undefined
      ? []
      : [...thread.messages].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
  const lastIn = [...messages].reverse().find((m) => m.direction === 'in');
  const canReply = messages.length > 0 && !(lastIn !== undefined && isExpired(lastIn.expiresAt, Date.now()));

  return (
    <Page title={title === '' ? '(no subject)' : title}>
      <p className={form.lead}>
        <Link href={routeHash({ name: 'inbox' })}>Back to inbox</Link>
      </p>
      {gone !== undefined ? (
        <Unavailable
          kind={gone === 'EXPIRED' ? 'expired' : 'revoked'}
          sender={summary?.correspondent ?? (thread === undefined ? undefined : thread.correspondent)}
        />
      ) : error !== undefined ? (
        <ErrorNotice error={error} />
      ) : thread === undefined ? (
        <Busy label="Opening the conversation…" />
      ) : (
        <>
          <p className={form.lead}>With {personLabel(thread.correspondent)}</p>
          <ol className={styles.list} aria-label="Messages, oldest first">
            {messages.map((m, i) => (
              <MessageCard key={m.id} message={m} index={i} />
            ))}
          </ol>
          {sentTo === undefined ? null : (
            <Notice intent="success">Your reply was sent securely to {sentTo}.</Notice>
          )}
          {canReply ? (
            <div className={form.card}>
              <ReplyForm
                threadId={thread.id}
                to={personLabel(thread.correspondent)}
                onSent={(m) => {
                  setThread({ ...thread, messages: [...thread.messages, m] });
                  setSentTo(personLabel(thread.correspondent));
                }}
              />
            </div>
          ) : (
            <Notice intent="info">
              This conversation has expired, so it cannot be answered here. Write to{' '}
              {personLabel(thread.correspondent)} with{' '}
              <Link href={routeHash({ name: 'new', to: thread.correspondent.address })}>
                a new secure message
              </Link>
              .
            </Notice>
          )}
        </>
      )}
    </Page>
  );
}
