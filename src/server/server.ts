import type { FastifyInstance } from 'fastify';
import { connectRedis, RedisUnreachableError } from './redis';
import { buildApp } from './app';
import { trackDrain } from './drain';
import { createDevIssuer } from './dev/dev-issuer';
import { createSenderVerifier, type SenderVerifier } from './auth/sender-auth';
import { appendAudit } from './audit/audit-log';
import { openBlobStore } from './blobs/index';
import { checkDevelopmentStaysLocal, type Config } from './config';
import type { ServerContext } from './context';
import { decryptContent } from './crypto/content-crypto';
import { isStoreKeyring, openKeyring } from './crypto/open-keyring';
import { noticeAad } from './crypto/bindings';
import { startMailCatcher, type MailCatcher } from './dev/mail-catcher';
import { tellSenderUndeliverable } from './outbox/undeliverable';
import { OutboxWorker } from './outbox/worker';
import { AuditSealer } from './audit/sealer';
import { startRetention } from './retention';
import { buildOrgPolicy } from './policy';
import { openStore } from './store/db';
import { isStoreUnavailable } from './store/unavailable';
import { describeDatabase, untilReachable } from './store/wait-for';
import { loadTls } from './tls';
import { createTlsChecker } from './tls-check/index';

/** How often keys kept in the database are read again. */
const KEY_RELOAD_MS = 10_000;

/** What a delivered notice's stored text becomes. */
const SCRUBBED_NOTICE = JSON.stringify({ scrubbed: true });

export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** The address the server listens at. */
  url: string;
  worker: OutboxWorker;
  /** Stops taking requests, finishes those in flight, stops the outbox worker, closes the store. */
  close(): Promise<void>;
}

/** Opens everything the server needs and starts listening and delivering. */
export async function startServer(
  config: Config,
  options: {
    logger?: boolean;
    /** Where start-up says what it waits for (default: standard error). */
    log?: (line: string) => void;
    /** The longest a stop waits for requests in flight (default: config.shutdownGraceSeconds). */
    shutdownGraceMs?: number;
  } = {},
): Promise<RunningServer> {
  // Before anything is opened: a development server that would be reached from elsewhere never starts.
  checkDevelopmentStaysLocal(config);
  // Before anything holds the process open: a wrong bucket or endpoint fails start here.
  const blobs = await openBlobStore(config);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const store = await untilReachable(
    () => openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }),
    {
      what: config.databaseUrl !== undefined ? describeDatabase(config.databaseUrl) : 'the embedded store',
      retryable: isStoreUnavailable,
      log,
    },
  );
  // The key file, or keys in the database under the operator's KEK; never
  // a fresh key beside data sealed with another one (see key-guard).
  let keyring;
  try {
    keyring = await openKeyring(store, config.dataDir, process.env);
  } catch (error) {
    await store.close();
    throw error;
  }
  const storeKeyring = isStoreKeyring(keyring) ? keyring : undefined;
  // On PostgreSQL, actions write audit records without the chain's lock and
  // a sealer chains them in batches (see audit/sealer.ts).
  const sealer = store.dialect === 'postgres' ? new AuditSealer(store.db, keyring.auditKey, log) : undefined;
  sealer?.start();
  const devIssuer = config.auth.devIssuer ? await createDevIssuer(config.dataDir) : undefined;
  const verifier: SenderVerifier = createSenderVerifier(
    devIssuer !== undefined
      ? devIssuer.verifierOptions()
      : {
          issuers: config.auth.issuers,
          audience: config.auth.audience ?? '',
          tenants: config.auth.tenants,
          requiredScope: config.auth.requiredScope,
          jwks: { url: config.auth.jwksUrl ?? '' },
        },
  );
  const redisUrl = config.redisUrl;
  const redis =
    redisUrl !== undefined
      ? await untilReachable(() => connectRedis(redisUrl), {
          what: 'Redis (REDIS_URL)',
          retryable: (e) => e instanceof RedisUnreachableError,
          log,
        })
      : undefined;
  let catcher: MailCatcher | undefined;
  if (config.smtpUrl === undefined) catcher = await startMailCatcher({});
  const ctx: ServerContext = {
    config,
    store,
    keyring,
    blobs,
    verifier,
    policy: buildOrgPolicy(config),
    tlsChecker: createTlsChecker(config, store),
    devIssuer,
    catcher,
    redis,
  };
  const worker = new OutboxWorker({
    db: store.db,
    smtpUrl: config.smtpUrl ?? catcher!.url,
    from: config.org.noticeFrom,
    maxAttempts: config.outbox.maxAttempts,
    baseDelayMs: config.outbox.baseDelaySeconds * 1000,
    maxDelayMs: config.outbox.maxDelaySeconds * 1000,
    leaseMs: config.outbox.leaseSeconds * 1000,
    dialect: store.dialect,
    transact: (work) => store.transact(work),
    openNotice: async (stored, outboxId) =>
      new TextDecoder().decode(await decryptContent(keyring, stored, noticeAad(outboxId))),
    onUnopenable: (count) => {
      log(
        `outbox: ${count} notice(s) cannot be opened with this instance's keys and were left pending ` +
          'for an instance that can; give every instance the same keys',
      );
    },
    // Each delivery outcome is audited in the transaction that records it.
    onEvent: async (event, trx) => {
      // A notice holds its recipient's secure link; once it has gone, the link
      // lives on only as its hash in secure_links. A dead letter keeps its
      // (encrypted) notice, so it can be requeued once the cause is fixed;
      // retention deletes it with the rest of its message.
      const scrub =
        event.type === 'sent'
          ? [trx.updateTable('outbox').set({ notice_json: SCRUBBED_NOTICE }).where('id', '=', event.outboxId)]
          : [];
      await appendAudit(
        trx,
        keyring.auditKey,
        store.dialect,
        {
          actor: 'system',
          action:
            event.type === 'sent' ? 'notice.sent' : event.type === 'dead' ? 'notice.failed' : 'notice.retry',
          target: `outbox:${event.outboxId}`,
          outcome: event.type === 'sent' ? 'ok' : 'failed',
          detail: { envelope: event.envelopeId, recipient: event.recipientId, attempts: event.attempts },
        },
        scrub,
      );
      // The representative hears of a notice that will not arrive.
      if (event.type === 'dead') {
        await tellSenderUndeliverable(trx, keyring, { ...event, host: new URL(config.publicUrl).hostname });
      }
    },
  });
  const tls = await loadTls(config);
  const app = buildApp(ctx, { logger: options.logger, https: tls });
  const drain = trackDrain(app);
  ctx.draining = drain.active;
  const address = await app.listen({ host: config.host, port: config.port });
  worker.start();
  // Content past its retention period is deleted now and then; several instances may sweep.
  // Keys in the database: a rotation by another instance is picked up within seconds.
  const keyReload =
    storeKeyring === undefined
      ? undefined
      : setInterval(() => {
          storeKeyring.reload().catch(() => undefined);
        }, KEY_RELOAD_MS);
  keyReload?.unref();
  const stopRetention = startRetention(ctx, (message) => {
    app.log.info(message);
  });
  let closing: Promise<void> | undefined;
  return {
    app,
    ctx,
    url: address,
    worker,
    close() {
      closing ??= (async () => {
        // Requests already sent (some still in the kernel's queue) are served
        // before the listener closes; health tells load balancers to stop.
        await drain.run(options.shutdownGraceMs ?? config.shutdownGraceSeconds * 1000);
        stopRetention();
        if (keyReload !== undefined) clearInterval(keyReload);
        await app.close();
        await worker.stop();
        await sealer?.stop();
        await ctx.tlsChecker.close();
        await redis?.quit();
        await catcher?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
