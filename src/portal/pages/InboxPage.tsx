import { Badge, Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import type { ThreadSummary } from '../../shared/portal-api';
import { listThreads } from '../api/portal';
import { Busy, ErrorNotice } from '../components/Notices';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { expiryText, formatDateTime, isExpired, personLabel, sortThreads } from '../format';
import { routeHash } from '../routing';
import { rememberThreads } from '../threads-cache';
import { navigate } from '../use-route';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  item: {
    display: 'block',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow2,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    borderLeft: `4px solid transparent`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  unread: { borderLeft: `4px solid ${tokens.colorBrandBackground}` },
  top: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  subject: { fontSize: tokens.fontSizeBase400, overflowWrap: 'anywhere' },
  subjectUnread: { fontWeight: tokens.fontWeightBold },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    marginTop: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  expired: { color: tokens.colorPaletteRedForeground1 },
  toolbar: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
  },
});

function ThreadItem({ thread, now }: { thread: ThreadSummary; now: number }): ReactNode {
  const styles = useStyles();
  const expired = isExpired(thread.expiresAt, now);
  return (
    <li>
      <a
        href={routeHash({ name: 'thread', id: thread.id })}
        className={mergeClasses(styles.item, thread.unread && styles.unread)}
      >
        <span className={styles.top}>
          {thread.unread ? (
            <Badge appearance="filled" color="brand" size="small">
              Unread
            </Badge>
          ) : null}
          <span className={mergeClasses(styles.subject, thread.unread && styles.subjectUnread)}>
            {thread.subject === '' ? '(no subject)' : thread.subject}
          </span>
        </span>
        <span className={styles.meta}>
          <span>With {personLabel(thread.correspondent)}</span>
          <span>
            {formatDateTime(thread.lastMessageAt)} · {thread.messageCount}{' '}
            {thread.messageCount === 1 ? 'message' : 'messages'}
          </span>
          <span className={expired ? styles.expired : undefined}>{expiryText(thread.expiresAt, now)}</span>
        </span>
      </a>
    </li>
  );
}

/** Every thread with this recipient's representatives, newest first. */
export function InboxPage(): ReactNode {
  const styles = useStyles();
  const form = useFormStyles();
  const [threads, setThreads] = useState<ThreadSummary[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let live = true;
    listThreads()
      .then((list) => {
        if (!live) return;
        rememberThreads(list);
        setThreads(sortThreads(list));
      })
      .catch((err: unknown) => {
        if (live) setError(err);
      });
    return () => {
      live = false;
    };
  }, []);

  const now = Date.now();
  const unread = threads?.filter((t) => t.unread).length ?? 0;
  return (
    <Page title="Inbox">
      <div className={styles.toolbar}>
        <p className={form.lead}>
          {threads === undefined
            ? ''
            : threads.length === 0
              ? 'No secure messages yet.'
              : unread > 0
                ? `${unread} unread`
                : 'All read'}
        </p>
        <Button
          appearance="primary"
          onClick={() => {
            navigate({ name: 'new' });
          }}
        >
          New message
        </Button>
      </div>
      {error !== undefined ? <ErrorNotice error={error} /> : null}
      {threads === undefined && error === undefined ? <Busy label="Loading your messages…" /> : null}
      {threads !== undefined && threads.length > 0 ? (
        <ul className={styles.list} aria-label="Conversations, newest first">
          {threads.map((t) => (
            <ThreadItem key={t.id} thread={t} now={now} />
          ))}
        </ul>
      ) : null}
    </Page>
  );
}
