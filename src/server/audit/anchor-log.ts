/**
 * Copies the audit anchor into the server's log, so that a log shipped off
 * the machine carries it: anyone who can rewrite the database and the data
 * folder cannot also rewrite what a log collector already holds, and
 * `audit verify --anchor <log>` checks the chain against those copies.
 *
 * A line goes out when the server is ready, then at most once per interval
 * while records are appended (the latest anchor, not every one), and a last
 * one on close. Problems (records cut from the end, an anchor file that fails
 * its check, a write that fails) are logged at once, as errors.
 *
 * Lines hold a seq, two MACs and a time: nothing about any message.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AuditAnchor, AuditAnchorRecord } from './anchor';

export const ANCHOR_LOG_INTERVAL_MS = 60_000;

export interface AnchorLogOptions {
  /** The shortest time between two anchor lines while records are appended. */
  intervalMs?: number;
}

/** Logs `anchor` through `app.log` for as long as `app` runs. */
export function logAuditAnchors(
  app: FastifyInstance,
  anchor: AuditAnchor | undefined,
  options: AnchorLogOptions = {},
): void {
  if (anchor === undefined) return;
  const interval = options.intervalMs ?? ANCHOR_LOG_INTERVAL_MS;
  const log: FastifyBaseLogger = app.log;
  let latest: AuditAnchorRecord | undefined;
  let logged: AuditAnchorRecord | undefined;
  let lastLineAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const emit = () => {
    timer = undefined;
    if (latest === undefined || latest === logged) return;
    logged = latest;
    lastLineAt = Date.now();
    log.info({ auditAnchor: latest }, 'audit anchor');
  };

  const unsubscribe = anchor.subscribe((event) => {
    if (event.type === 'written') {
      latest = event.anchor;
      const wait = lastLineAt + interval - Date.now();
      if (wait <= 0) emit();
      else if (timer === undefined) {
        timer = setTimeout(emit, wait);
        // The line can wait for close; it must not keep a stopping process alive.
        timer.unref();
      }
    } else if (event.type === 'diverged') {
      log.error(
        { auditAnchor: event.anchor, auditHead: event.head },
        'audit log: the anchored record is gone, so records were cut from its end; ' +
          'the anchor stays where it was and `secure-envelope audit verify` reports the cut',
      );
    } else {
      log.error({ auditAnchorFile: anchor.file }, event.message);
    }
  });

  app.addHook('onReady', () => {
    const state = anchor.read();
    if (state.status === 'valid') {
      latest = state.anchor;
      emit();
    } else if (state.status === 'invalid') {
      log.error({ auditAnchorFile: anchor.file }, `audit anchor: ${state.reason}`);
    }
    return Promise.resolve();
  });

  app.addHook('onClose', async () => {
    if (timer !== undefined) clearTimeout(timer);
    // Writes still under way are logged too: the last line names the last record.
    await anchor.flush().catch(() => undefined);
    unsubscribe();
    emit();
  });
}
