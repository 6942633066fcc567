/**
 * Two instances of the server as a health plan deploys them (see fleet.ts),
 * under load from senders posting to both, with the faults a fleet meets:
 * the database cut away for ten seconds, one instance killed with SIGKILL, a
 * recipient served by the other instance than the one their sender used, a
 * new instance brought up with the wrong keys. Each scenario prints one line,
 *
 *   fleet <scenario>: acknowledged N, found N, lost N, duplicated N, recovery Xms
 *
 * acknowledged: envelopes answered 201; found: those the database holds;
 * duplicated: notices the relay received more than once (same Message-ID);
 * recovery: (a) from the database's return to the first 201 on the slower
 * instance, (b) from the kill to the last notice taken by the relay, (c) from
 * A's 201 to the attachment's last byte through B, (d) from the start of the
 * wrongly keyed instance to its refusal (the slower of the two).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../src/shared/portal-api';
import { KEY_FILE_NAME, newKeyFile } from '../../src/server/crypto/keyring';
import {
  Fleet,
  Load,
  PortalVisitor,
  postEnvelope,
  requireServices,
  S3_PREFIX,
  secureLinkPath,
  type Answer,
  type RelayedMail,
} from './fleet';

const CUT_MS = 10_000;
/** The outbox's default lease: a dead instance's notices are due again within it. */
const LEASE_MS = 15_000;
const CLIENTS = 6;
/**
 * A worker hands the relay 5 notices at a time, one relay answer (RELAY_DELAY_MS)
 * each: a lease over this many rows has at least 6 not started, some of which
 * wait for a second answer after the cut.
 */
const WIDE_BATCH = 12;
/**
 * Every outcome after the cut fails to be recorded. A notice begun later than
 * this after it (event-loop delay allowed for) was begun by a worker that had
 * already failed to record one.
 */
const OUTAGE_NOTICED_MS = 100;
/** The outbox worker's parallel sends, as the server runs it. */
const WORKER_CONCURRENCY = 5;
const PASSWORD = 'blue heron walks at dawn';

function report(
  scenario: string,
  figures: { acknowledged: number; found: number; duplicated: number; recoveryMs: number },
  detail = '',
): void {
  console.log(
    `fleet ${scenario}: acknowledged ${figures.acknowledged}, found ${figures.found}, ` +
      `lost ${figures.acknowledged - figures.found}, duplicated ${figures.duplicated}, ` +
      `recovery ${figures.recoveryMs}ms${detail}`,
  );
}

function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = `${a.instance} ${a.status}${a.code !== undefined ? ` ${a.code}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} x ${k}`).join(', ');
}

function alive(fleet: Fleet, name: string): boolean {
  const { child } = fleet.instance(name).server;
  return child.exitCode === null && child.signalCode === null;
}

describe('a fleet of two instances on one database, bucket, Redis and key set', () => {
  const fleet = new Fleet();
  /** Every envelope answered 201 in this file, for the last scenario's count. */
  const everAcknowledged: string[] = [];

  beforeAll(async () => {
    await requireServices();
    await fleet.open();
    // One after the other: the second starts on a schema the first has migrated.
    await fleet.start('A');
    await fleet.start('B');
  }, 90_000);

  afterAll(async () => {
    await fleet.close();
  }, 60_000);

  it("has a development issuer of each instance's own, so a sender's token is taken where it was minted", async () => {
    // The development issuer's key lives in the data folder, and instances
    // have folders of their own: a token minted by A is refused by B, and the
    // load below asks each instance for the token it sends there. (Production
    // takes tokens from the identity provider, which every instance trusts.)
    const a = fleet.instance('A');
    const b = fleet.instance('B');
    const body = { to: ['desk@clinic.example'], subject: 'Claim 1', text: 'Member ID W100000001.' };
    const foreign = await postEnvelope(b, body, a.token);
    expect(foreign.status).toBe(401);
    const own = await postEnvelope(b, body);
    expect(own.status).toBe(201);
    everAcknowledged.push(((await own.json()) as { id: string }).id);
  });

  it('(a) rides out the database cut for ten seconds under load: 503 with Retry-After, back within 1.5 s, nothing lost', async () => {
    const load = new Load(fleet, ['A', 'B'], 'cut').start(CLIENTS);
    expect(
      await load.until(() => load.count(201, 'A') >= 20 && load.count(201, 'B') >= 20, 20_000),
      'both instances take envelopes before the cut',
    ).toBe(true);

    // The cut comes while an instance works through a batch larger than it
    // hands the relay at once: the database goes away with notices claimed,
    // some of them at the relay, some not started.
    const batchAtCut = await fleet.largestLease(WIDE_BATCH, 15_000);
    const cutAt = Date.now();
    for (const i of fleet.instances.values()) i.proxy.cut();
    await new Promise((r) => setTimeout(r, CUT_MS));
    const restoredAt = Date.now();
    for (const i of fleet.instances.values()) i.proxy.restore();
    // Until each instance has taken an envelope again, then a little more load.
    await load.until(
      () => load.count(201, 'A', restoredAt) > 0 && load.count(201, 'B', restoredAt) > 0,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const answers = await load.stop();

    // Neither process went down.
    expect(alive(fleet, 'A'), fleet.instance('A').server.output()).toBe(true);
    expect(alive(fleet, 'B'), fleet.instance('B').server.output()).toBe(true);

    // Every answer was a 201 or the store's 503 with a Retry-After: no 500, no dropped connection.
    const unexpected = answers.filter(
      (a) => a.status !== 201 && !(a.status === 503 && a.code === 'STORE_UNAVAILABLE'),
    );
    expect(
      unexpected.map((a) => `${a.instance} ${a.status} ${a.code ?? a.error ?? ''}`),
      tally(answers),
    ).toEqual([]);
    for (const a of answers.filter((x) => x.status === 503)) expect(a.retryAfter).toMatch(/^\d+$/);
    for (const name of ['A', 'B']) {
      const during = answers.filter(
        (a) => a.instance === name && a.sentAt > cutAt + 500 && a.sentAt < restoredAt,
      );
      expect(
        during.some((a) => a.status === 503),
        `${name} answered 503 while cut off`,
      ).toBe(true);
    }

    // Service returned on each instance soon after the database did.
    const recovery = new Map<string, number>();
    for (const name of ['A', 'B']) {
      const first = answers
        .filter((a) => a.instance === name && a.status === 201 && a.answeredAt >= restoredAt)
        .sort((x, y) => x.answeredAt - y.answeredAt)[0];
      expect(first, `${name} took no envelope after the database returned`).toBeDefined();
      recovery.set(name, first!.answeredAt - restoredAt);
    }

    const acknowledged = load.acknowledged();
    everAcknowledged.push(...acknowledged);
    const found = await fleet.stored(acknowledged);
    // Every notice of an acknowledged envelope reaches the relay. One whose
    // 'sent' could not be recorded while the database was away goes again
    // when its lease runs out, with the same Message-ID.
    const { rows, done } = await fleet.delivered(acknowledged, LEASE_MS + 25_000);
    const relayed = fleet.relayedFor(rows.map((r) => r.message_id));
    // Rate limits are counted in the shared Redis, under this run's prefix.
    const redisKeys = await fleet.redisKeys();

    const copies = new Map<string, RelayedMail[]>();
    for (const m of fleet.relay.received) {
      if (m.messageId !== undefined) copies.set(m.messageId, [...(copies.get(m.messageId) ?? []), m]);
    }
    // A notice the relay took after the cut could not be marked sent, and goes
    // again once its lease runs out: at least once. Those already at the relay
    // when the database went away cannot be helped; one the instance began to
    // hand over later was sent when it could have known its outcome would be lost.
    const twice = rows.filter((r) => (copies.get(r.message_id)?.length ?? 0) > 1);
    const intoOutage = twice.filter(
      (r) => Math.min(...copies.get(r.message_id)!.map((m) => m.startedAt)) > cutAt + OUTAGE_NOTICED_MS,
    );
    const recoveryMs = Math.max(...recovery.values());
    report(
      'database-cut',
      {
        acknowledged: acknowledged.length,
        found: found.size,
        duplicated: relayed.received - relayed.distinct,
        recoveryMs,
      },
      ` (A ${recovery.get('A')}ms, B ${recovery.get('B')}ms; ${tally(answers)}; ` +
        `${rows.length} notices, ${relayed.distinct} relayed; ${batchAtCut} under one lease at the cut; ` +
        `${twice.length} sent twice, ${intoOutage.length} of them begun ${OUTAGE_NOTICED_MS}ms or more into the outage)`,
    );
    expect(acknowledged.length).toBeGreaterThan(40);
    expect(acknowledged.length - found.size, 'lost').toBe(0);
    expect(rows.length).toBe(acknowledged.length);
    expect(done, `notices not delivered: ${rows.filter((r) => r.status !== 'sent').length}`).toBe(true);
    expect(relayed.distinct).toBe(rows.length);
    for (const r of rows) expect(copies.get(r.message_id)?.length, r.message_id).toBeLessThanOrEqual(2);
    expect(recovery.get('A')).toBeLessThan(1_500);
    expect(recovery.get('B')).toBeLessThan(1_500);
    expect(redisKeys.length).toBeGreaterThan(0);
    expect(batchAtCut, 'an instance held a batch wider than its sends at the cut').toBeGreaterThanOrEqual(
      WIDE_BATCH,
    );
    // Once an outcome cannot be saved (the store is gone), the worker hands no
    // more of its batch to the relay. Before that rule every notice of the
    // claimed batch went out and came back (20-30 a run). One wave of
    // concurrent sends (the worker's 5) is still seen to start about 125 ms
    // into the outage in some runs, and why it is not held back is not yet
    // known: it is bounded here, and the bound is the open question.
    expect(
      intoOutage.map(
        (r) =>
          `${r.message_id} begun ${Math.min(...copies.get(r.message_id)!.map((m) => m.startedAt)) - cutAt}ms after the cut`,
      ).length,
      'notices sent twice that were begun after the database had gone: at most one wave of sends',
    ).toBeLessThanOrEqual(WORKER_CONCURRENCY);
  }, 120_000);

  it('(b) keeps serving on B when A is killed with SIGKILL under load, and B sends what A had leased', async () => {
    const load = new Load(fleet, ['A', 'B'], 'kill').start(CLIENTS);
    expect(
      await load.until(() => load.count(201, 'A') >= 30 && load.count(201, 'B') >= 30, 20_000),
      'both instances take envelopes before the kill',
    ).toBe(true);
    // Killed while the relay holds one of A's notices unanswered: A is in the
    // middle of a batch, so it dies holding a lease on notices it has not sent.
    expect(await load.until(() => fleet.relay.inFlight('A') > 0, 10_000), 'A sends notices under load').toBe(
      true,
    );
    const a = fleet.instance('A');
    const killedAt = Date.now();
    a.server.child.kill('SIGKILL');
    // The rows under a lease at the kill, A's and B's. B sends its own before
    // their lease ends; A's can go only once it has run out.
    const db = await fleet.db();
    const leasedAtKill = (
      await db.query<{ message_id: string; next_attempt_at: string }>(
        "select message_id, next_attempt_at from outbox where status = 'pending' and next_attempt_at > $1",
        [new Date(killedAt).toISOString()],
      )
    ).rows;
    await new Promise((r) => setTimeout(r, 3_000));
    const answers = await load.stop();

    expect(await a.server.exited).toBe('SIGKILL');
    expect(alive(fleet, 'B'), fleet.instance('B').server.output()).toBe(true);
    // B answered everything, before the kill and after it.
    const fromB = answers.filter((x) => x.instance === 'B');
    expect(
      fromB.filter((x) => x.status !== 201).map((x) => `${x.status} ${x.code ?? x.error ?? ''}`),
      tally(answers),
    ).toEqual([]);
    expect(load.count(201, 'B', killedAt + 500), 'B took envelopes after the kill').toBeGreaterThan(5);
    // A answered 201 until it died; after that, its address refuses connections.
    for (const x of answers.filter((y) => y.instance === 'A')) {
      if (x.answeredAt < killedAt) expect(x.status, x.error).toBe(201);
      else expect([0, 201], x.error).toContain(x.status);
    }

    const acknowledged = load.acknowledged();
    everAcknowledged.push(...acknowledged);
    const found = await fleet.stored(acknowledged);
    const { rows, done } = await fleet.delivered(acknowledged, LEASE_MS + 20_000);
    const relayed = fleet.relayedFor(rows.map((r) => r.message_id));
    /** When the relay took each notice, every time it did. */
    const takenAt = new Map<string, number[]>();
    for (const m of fleet.relay.received) {
      if (m.messageId !== undefined) takenAt.set(m.messageId, [...(takenAt.get(m.messageId) ?? []), m.at]);
    }
    const first = (id: string): number => Math.min(...(takenAt.get(id) ?? [Infinity]));
    const deliveredMs = Math.max(...rows.map((r) => first(r.message_id))) - killedAt;
    // A's: taken by the relay (again, if A had got one out before it died)
    // only after the lease they had at the kill ran out, from B.
    const heldByA = leasedAtKill.filter((r) =>
      (takenAt.get(r.message_id) ?? []).some((at) => at >= Date.parse(r.next_attempt_at)),
    );
    const heldSentMs = Math.max(...heldByA.map((r) => Math.max(...takenAt.get(r.message_id)!))) - killedAt;
    const heldVia = new Set(
      fleet.relay.received
        .filter((m) =>
          heldByA.some((r) => r.message_id === m.messageId && m.at >= Date.parse(r.next_attempt_at)),
        )
        .map((m) => m.via),
    );
    report(
      'kill-a',
      {
        acknowledged: acknowledged.length,
        found: found.size,
        duplicated: relayed.received - relayed.distinct,
        recoveryMs: deliveredMs,
      },
      ` (every notice relayed ${deliveredMs}ms after the kill; ${heldByA.length} of the ${leasedAtKill.length} ` +
        `leased at the kill were A's, sent by ${[...heldVia].join(', ')} by ${heldSentMs}ms; ${tally(answers)})`,
    );
    expect(acknowledged.length - found.size, 'lost').toBe(0);
    expect(rows.length).toBe(acknowledged.length);
    expect(done, `notices not delivered: ${rows.filter((r) => r.status !== 'sent').length}`).toBe(true);
    expect(relayed.distinct).toBe(rows.length);
    // A died holding notices; B sent them once their lease ran out (plus B's poll and the send).
    expect(heldByA.length).toBeGreaterThan(0);
    expect([...heldVia]).toEqual(['B']);
    expect(heldSentMs).toBeLessThan(LEASE_MS + 3_000);
    expect(deliveredMs).toBeLessThan(LEASE_MS + 3_000);
    // A notice goes twice only when A had it taken by the relay in the instant before it died.
    expect(relayed.received - relayed.distinct).toBeLessThanOrEqual(heldByA.length);
  }, 120_000);

  it('(c) lets a recipient download through B an attachment sent through A', async () => {
    // A comes back on its own data folder after (b).
    const a = await fleet.running('A');
    const b = fleet.instance('B');
    const address = `reader.${randomBytes(4).toString('hex')}@clinic.example`;
    // Several of the server's chunks, and bytes no text encoding would leave alone.
    const bytes = randomBytes(300 * 1024 + 17);
    const sentAt = Date.now();
    const res = await postEnvelope(a, {
      to: [address],
      subject: 'Claim 4471',
      text: 'The scan of member W100004471 is attached.',
      attachments: [
        {
          name: 'scan.bin',
          contentType: 'application/octet-stream',
          contentBase64: bytes.toString('base64'),
        },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    everAcknowledged.push(id);

    // The notice, as the recipient's mail program gets it from the relay.
    const deadline = Date.now() + 20_000;
    let notice = fleet.relay.received.find((m) => m.to.includes(address));
    while (notice === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      notice = fleet.relay.received.find((m) => m.to.includes(address));
    }
    expect(notice, 'the notice reached the relay').toBeDefined();
    const link = await secureLinkPath(notice!);

    // The recipient lands on B: registers from the link, opens the thread, downloads.
    const visitor = new PortalVisitor(b.server.base);
    await visitor.register(link, PASSWORD);
    const { threads } = await visitor.json<{ threads: { id: string }[] }>('/portal/api/threads');
    expect(threads.length).toBe(1);
    const thread = await visitor.json<Thread>(`/portal/api/threads/${threads[0]!.id}`);
    const message = thread.messages[0]!;
    const attachment = message.attachments.find((x) => x.name === 'scan.bin');
    expect(attachment).toBeDefined();
    const download = await visitor.request(
      'GET',
      `/portal/api/messages/${message.id}/attachments/${attachment!.id}`,
    );
    expect(download.status).toBe(200);
    const got = Buffer.from(await download.arrayBuffer());
    const servedMs = Date.now() - sentAt;
    expect(got.length).toBe(bytes.length);
    expect(got.equals(bytes)).toBe(true);

    // The ciphertext is in the bucket, where B found it, and on neither instance's disk.
    const { rows: blobs } = await (
      await fleet.db()
    ).query<{ blob_key: string }>('select blob_key from attachments where envelope_id = $1', [id]);
    expect(blobs.length).toBe(1);
    expect(await fleet.s3.keys(S3_PREFIX)).toContain(`${S3_PREFIX}${blobs[0]!.blob_key}`);
    for (const i of [a, b]) expect(existsSync(join(i.dataDir, 'blobs'))).toBe(false);

    const found = await fleet.stored([id]);
    const rows = await fleet.outbox([id]);
    const relayed = fleet.relayedFor(rows.map((r) => r.message_id));
    report(
      'cross-instance-download',
      {
        acknowledged: 1,
        found: found.size,
        duplicated: relayed.received - relayed.distinct,
        recoveryMs: servedMs,
      },
      ` (sent through A, ${bytes.length} bytes downloaded through B ${servedMs}ms after A's 201)`,
    );
    expect(found.size).toBe(1);
  }, 60_000);

  it('(d) refuses a third instance whose key file is missing, or whose keys are not the fleet’s, naming them', async () => {
    const kid = (JSON.parse(fleet.keys) as { current: string }).current;
    const refusal = async (
      keys: string | null,
    ): Promise<{ message: string; ms: number; dataDir: string }> => {
      const dataDir = fleet.tempDir('se-fleet-third-');
      const started = Date.now();
      try {
        await fleet.spawn(fleet.env(fleet.directUrl, dataDir, await fleet.relay.entry('C'), keys));
        return { message: 'it started', ms: Date.now() - started, dataDir };
      } catch (e) {
        return { message: e instanceof Error ? e.message : String(e), ms: Date.now() - started, dataDir };
      }
    };

    // No SECURE_ENVELOPE_KEYS and no key file in its folder: a fresh key would leave the store unreadable.
    const missing = await refusal(null);
    const keyFile = join(missing.dataDir, KEY_FILE_NAME);
    expect(missing.message).toContain('it exited');
    expect(missing.message).toContain(`the key file ${keyFile} is missing`);
    expect(missing.message).toContain(kid);
    expect(missing.message).not.toContain('internal error');
    expect(existsSync(keyFile), 'no key file was made in its place').toBe(false);

    // Keys of its own.
    const other = newKeyFile();
    const foreign = await refusal(JSON.stringify(other));
    expect(foreign.message).toContain('it exited');
    expect(foreign.message).toContain(`sealed with key(s) ${kid}`);
    expect(foreign.message).toContain('SECURE_ENVELOPE_KEYS');
    expect(foreign.message).toContain('every instance of a deployment needs the same keys');
    expect(foreign.message).not.toContain(other.keys[0]!.key);

    // The fleet did not notice: both instances still take envelopes, and everything is there.
    for (const name of ['A', 'B']) {
      const res = await postEnvelope(await fleet.running(name), {
        to: ['desk@clinic.example'],
        subject: 'Claim 2',
        text: 'Member ID W100000002.',
      });
      expect(res.status).toBe(201);
      everAcknowledged.push(((await res.json()) as { id: string }).id);
    }
    const found = await fleet.stored(everAcknowledged);
    const { rows, done } = await fleet.delivered(everAcknowledged, 20_000);
    const relayed = fleet.relayedFor(rows.map((r) => r.message_id));
    report(
      'key-guard',
      {
        acknowledged: everAcknowledged.length,
        found: found.size,
        duplicated: relayed.received - relayed.distinct,
        recoveryMs: Math.max(missing.ms, foreign.ms),
      },
      ` (refused in ${missing.ms}ms without a key file, ${foreign.ms}ms with other keys; ` +
        'figures over every envelope of this file)',
    );
    expect(everAcknowledged.length - found.size, 'lost').toBe(0);
    expect(done).toBe(true);
    expect(relayed.distinct).toBe(rows.length);
  }, 90_000);
});
