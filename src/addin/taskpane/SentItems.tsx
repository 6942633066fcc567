import {
  Badge,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Text,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import type { SentItem, SentRecipient } from '../../shared/api';
import { HttpFailure } from '../core/http';
import {
  extendExpiry,
  listSent,
  recipientStatus,
  resendLink,
  withdraw,
  type SentApi,
} from '../core/sent-items';
import type { Services } from './services';

/** How much longer "Keep longer" keeps a message readable. */
const EXTEND_DAYS = 30;

const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function badgeColor(r: SentRecipient): 'success' | 'informative' | 'warning' | 'danger' | 'subtle' {
  if (r.revokedAt !== null) return 'subtle';
  if (r.notice === 'dead-lettered' && r.lastOpenedAt === null) return 'danger';
  if (r.repliedAt !== null || r.lastOpenedAt !== null) return 'success';
  return r.notice === 'retrying' ? 'warning' : 'informative';
}

/**
 * The sender's recent secure messages: for each recipient whether the notice
 * reached them (or could not), when they opened it and whether they replied;
 * a message can be withdrawn, and a recipient sent a fresh link.
 */
export function SentItems({
  services,
  refreshKey,
}: {
  services: Services;
  refreshKey: string;
}): ReactElement {
  const api = useMemo<SentApi>(
    () => ({ fetch: services.fetch, apiBase: services.config.apiBase, token: () => services.token() }),
    [services],
  );
  const [items, setItems] = useState<SentItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(() => {
    listSent(api).then(
      (list) => {
        setItems(list);
        setError(null);
      },
      (e: unknown) => {
        setError(reasonOf(e));
      },
    );
  }, [api]);

  useEffect(load, [load, refreshKey]);

  const act = (work: Promise<void>, done: string): void => {
    work.then(
      () => {
        setNote(done);
        load();
      },
      (e: unknown) => {
        setNote(`That did not work: ${reasonOf(e)}.`);
      },
    );
  };

  return (
    <section aria-labelledby="sent-heading">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Subtitle2 as="h2" id="sent-heading">
          Your secure messages
        </Subtitle2>
        <Button size="small" id="sent-refresh" onClick={load}>
          Refresh
        </Button>
      </div>
      {error !== null && (
        <MessageBar intent="warning">
          <MessageBarBody>Could not load your secure messages: {error}.</MessageBarBody>
        </MessageBar>
      )}
      {note !== null && (
        <Caption1 as="p" role="status">
          {note}
        </Caption1>
      )}
      {items !== null && items.length === 0 && <Text as="p">None yet.</Text>}
      {items !== null && items.length > 0 && (
        <ul
          style={{
            listStyle: 'none',
            margin: 0,
            padding: 0,
            display: 'flex',
            flexDirection: 'column',
            gap: 12,
          }}
        >
          {items.map((item) => (
            <li key={item.id} data-envelope={item.id} style={{ overflowWrap: 'anywhere' }}>
              <Caption1 as="p" style={{ margin: 0 }} data-expires={item.expiresAt}>
                Sent {when(item.createdAt)} ·{' '}
                {item.revokedAt !== null
                  ? `withdrawn ${when(item.revokedAt)}`
                  : `readable until ${when(item.expiresAt)}`}
              </Caption1>
              <ul style={{ listStyle: 'none', margin: '4px 0', padding: 0 }}>
                {item.recipients.map((r) => (
                  <li
                    key={r.address}
                    style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}
                  >
                    <Text>{r.address}</Text>
                    <Badge appearance="tint" color={badgeColor(r)} data-testid="recipient-status">
                      {recipientStatus(r)}
                    </Badge>
                    {r.lastOpenedAt !== null && <Caption1>last opened {when(r.lastOpenedAt)}</Caption1>}
                    {item.revokedAt === null && r.revokedAt === null && (
                      <>
                        <Button
                          size="small"
                          appearance="transparent"
                          aria-label={`Re-send link to ${r.address}`}
                          onClick={() => {
                            act(
                              resendLink(api, item.id, r.address),
                              `A fresh link is on its way to ${r.address}.`,
                            );
                          }}
                        >
                          Re-send link
                        </Button>
                        <Button
                          size="small"
                          appearance="transparent"
                          aria-label={`Withdraw from ${r.address}`}
                          onClick={() => {
                            act(
                              withdraw(api, item.id, [r.address]),
                              `Withdrawn from ${r.address}; the others can still read it.`,
                            );
                          }}
                        >
                          Withdraw
                        </Button>
                      </>
                    )}
                  </li>
                ))}
              </ul>
              {item.revokedAt === null && (
                <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                  <Button
                    size="small"
                    onClick={() => {
                      act(
                        extendExpiry(api, item, EXTEND_DAYS),
                        `It stays readable ${EXTEND_DAYS} days longer.`,
                      );
                    }}
                  >
                    Keep {EXTEND_DAYS} days longer
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      act(withdraw(api, item.id), 'Withdrawn: its links no longer open it.');
                    }}
                  >
                    Withdraw
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function reasonOf(e: unknown): string {
  return e instanceof HttpFailure && e.kind === 'status'
    ? e.message
    : 'the secure mail service cannot be reached';
}
