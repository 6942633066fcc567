import { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import type { MxEvidence } from '../../shared/tls-verdict';

/**
 * One MX probe: connect to port 25, read the greeting, EHLO, STARTTLS, TLS
 * handshake, QUIT. Never MAIL FROM or RCPT TO: nothing is ever sent. Every
 * step has its own timeout, and the whole probe stops when `signal` aborts.
 */

export interface ProbeTimeouts {
  connectMs: number;
  greetingMs: number;
  commandMs: number;
  handshakeMs: number;
}

export interface ProbeTarget {
  host: string;
  address: string;
  port: number;
  /** The name we introduce ourselves with in EHLO. */
  ehloName: string;
  /** Trusted roots (Node's bundled ones plus any configured extra CA), as a context built once. */
  trust: SecureContext;
  timeouts: ProbeTimeouts;
  signal: AbortSignal;
}

export type ProbeOutcome = Omit<MxEvidence, 'host' | 'priority' | 'address' | 'elapsedMs'>;

/** Replies longer than this are not SMTP servers we want to keep reading. */
const MAX_REPLY_BYTES = 16 * 1024;

class StepTimeout extends Error {
  constructor(readonly step: string) {
    super(`${step} timed out`);
  }
}

interface Reply {
  code: number;
  lines: string[];
}

/** Reads SMTP replies (multi-line "250-…" then "250 …") from a socket. */
class ReplyReader {
  private buffer = '';
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer += chunk.toString('latin1');
    if (this.buffer.length > MAX_REPLY_BYTES) this.fail(new Error('reply too long'));
    else this.deliver();
  };
  private readonly onEnd = (): void => {
    this.fail(new Error('connection closed by the server'));
  };
  private readonly onError = (e: Error): void => {
    this.fail(e);
  };

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  next(step: string, timeoutMs: number): Promise<Reply> {
    return withTimeout(
      new Promise<Reply>((resolve, reject) => {
        this.waiting = { resolve, reject };
        // A reply already received counts even if the server hung up after it (421 then close).
        this.deliver();
        if (this.isWaiting() && this.failure !== undefined) {
          this.waiting = undefined;
          reject(this.failure);
        }
      }),
      step,
      timeoutMs,
    );
  }

  private isWaiting(): boolean {
    return this.waiting !== undefined;
  }

  private deliver(): void {
    if (this.waiting === undefined) return;
    const lines: string[] = [];
    let consumed = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n', consumed);
      if (end < 0) return;
      const line = this.buffer.slice(consumed, end).replace(/\r$/, '');
      consumed = end + 1;
      lines.push(line);
      const match = /^(\d{3})([ -]?)/.exec(line);
      if (match === null) {
        this.buffer = '';
        this.failure ??= new Error('not an SMTP reply');
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting.reject(this.failure);
        return;
      }
      if (match[2] !== '-') {
        this.buffer = this.buffer.slice(consumed);
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting.resolve({ code: Number(match[1]), lines: lines.map((l) => l.slice(4)) });
        return;
      }
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.deliver();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}

function withTimeout<T>(work: Promise<T>, step: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new StepTimeout(step));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

const EMPTY: ProbeOutcome = {
  status: 'error',
  level: 'unknown',
  greeting: null,
  starttls: null,
  protocol: null,
  cipher: null,
  certificate: null,
  trusted: null,
  nameMatches: null,
  validationError: null,
  error: null,
};

export async function probeMx(target: ProbeTarget): Promise<ProbeOutcome> {
  const { timeouts, signal } = target;
  const sockets: Socket[] = [];
  const stopped = (): boolean => signal.aborted;
  // A socket may still fail after its step is over (destroyed on abort, a reset
  // after QUIT): a listener for its whole life keeps that from being unhandled.
  const track = (socket: Socket): void => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  };
  const onAbort = (): void => {
    for (const s of sockets) s.destroy(new Error('probe stopped'));
  };
  signal.addEventListener('abort', onAbort);
  const result: ProbeOutcome = { ...EMPTY };
  let stage: 'connect' | 'greeting' | 'session' = 'connect';
  try {
    if (signal.aborted) throw new Error('probe stopped');
    const plain = await withTimeout(
      new Promise<Socket>((resolve, reject) => {
        const socket = netConnect({ host: target.address, port: target.port });
        track(socket);
        socket.once('connect', () => {
          resolve(socket);
        });
        socket.once('error', reject);
      }),
      'connect',
      timeouts.connectMs,
    );
    plain.setNoDelay(true);
    stage = 'greeting';
    let reader = new ReplyReader(plain);
    const greeting = await reader.next('greeting', timeouts.greetingMs);
    result.greeting = printable(greeting.lines.join(' '));
    if (greeting.code !== 220) {
      // 421 and friends: this MX does not take mail now; a sender moves on to the next.
      return { ...result, status: 'unreachable', error: `greeting ${greeting.code}: ${result.greeting}` };
    }
    stage = 'session';
    const send = (line: string): void => {
      plain.write(`${line}\r\n`);
    };
    send(`EHLO ${target.ehloName}`);
    const ehlo = await reader.next('EHLO', timeouts.commandMs);
    if (ehlo.code >= 400 && ehlo.code < 500) {
      send('QUIT');
      return { ...result, error: `EHLO answered ${ehlo.code}` };
    }
    const offered = ehlo.code === 250 && ehlo.lines.some((l) => /^STARTTLS\b/i.test(l));
    result.starttls = offered;
    if (!offered) {
      send('QUIT');
      await reader.next('QUIT', timeouts.commandMs).catch(() => undefined);
      return { ...result, status: 'probed', level: 'none', error: 'STARTTLS is not offered' };
    }
    send('STARTTLS');
    const starttls = await reader.next('STARTTLS', timeouts.commandMs);
    if (starttls.code !== 220) {
      // Not upgrading: end the session politely, without waiting for the answer.
      send('QUIT');
      if (starttls.code >= 400 && starttls.code < 500) {
        return { ...result, error: `STARTTLS answered ${starttls.code} (temporary)` };
      }
      return { ...result, status: 'probed', level: 'none', error: `STARTTLS answered ${starttls.code}` };
    }
    reader.detach();
    let secure: TLSSocket;
    try {
      secure = await withTimeout(
        new Promise<TLSSocket>((resolve, reject) => {
          const socket = tlsConnect({
            socket: plain,
            servername: target.host,
            secureContext: target.trust,
            // We judge the certificate ourselves and record why it fails;
            // no data is sent over this connection either way.
            rejectUnauthorized: false,
          });
          track(socket);
          socket.once('secureConnect', () => {
            resolve(socket);
          });
          socket.once('error', reject);
        }),
        'TLS handshake',
        timeouts.handshakeMs,
      );
    } catch (e) {
      if (e instanceof StepTimeout || stopped()) throw e;
      return {
        ...result,
        status: 'probed',
        level: 'none',
        error: `TLS handshake failed: ${errorText(e)}`,
      };
    }
    Object.assign(result, describeTls(secure, target.host));
    reader = new ReplyReader(secure);
    secure.write('QUIT\r\n');
    await reader.next('QUIT', Math.min(timeouts.commandMs, 1000)).catch(() => undefined);
    return result;
  } catch (e) {
    if (stage === 'connect' || (stage === 'greeting' && e instanceof StepTimeout)) {
      return { ...result, status: 'unreachable', error: errorText(e) };
    }
    return { ...result, status: 'error', level: 'unknown', error: errorText(e) };
  } finally {
    signal.removeEventListener('abort', onAbort);
    for (const s of sockets) s.destroy();
  }
}

/** The TLS evidence of an established session, and the level it earns. */
function describeTls(secure: TLSSocket, host: string): Partial<ProbeOutcome> {
  const protocol = secure.getProtocol();
  const peer = secure.getPeerCertificate();
  let certificate: ProbeOutcome['certificate'] = null;
  let nameMatches: boolean | null = null;
  let validationError: string | null = null;
  if (Object.keys(peer).length > 0) {
    const x509 = new X509Certificate(peer.raw);
    certificate = {
      subject: x509.subject.split('\n').join(', '),
      issuer: x509.issuer.split('\n').join(', '),
      altNames: (x509.subjectAltName ?? '')
        .split(', ')
        .filter((n) => n.startsWith('DNS:'))
        .map((n) => n.slice(4)),
      validFrom: new Date(x509.validFrom).toISOString(),
      validTo: new Date(x509.validTo).toISOString(),
      fingerprint256: x509.fingerprint256,
    };
    const mismatch = checkServerIdentity(host, peer);
    nameMatches = mismatch === undefined;
    if (mismatch !== undefined) validationError = `name mismatch: ${mismatch.message}`;
  }
  const authError = secure.authorizationError as Error | string | null;
  // Node reports a name mismatch as an authorization error too; the chain
  // itself is trusted then, and the mismatch is recorded on its own above.
  const authCode = authError === null ? '' : errorText(authError);
  const nameOnly = authCode.startsWith('ERR_TLS_CERT_ALTNAME_INVALID');
  const trusted = secure.authorized || nameOnly;
  if (!trusted) {
    const text = authCode === '' ? 'certificate not trusted' : `${authCode}${CERT_ERRORS[authCode] ?? ''}`;
    validationError = validationError === null ? text : `${text}; ${validationError}`;
  }
  const modern = protocol === 'TLSv1.2' || protocol === 'TLSv1.3';
  if (!modern) {
    const text = `protocol ${protocol ?? 'unknown'} is older than TLS 1.2`;
    validationError = validationError === null ? text : `${validationError}; ${text}`;
  }
  return {
    status: 'probed',
    level: trusted && nameMatches === true && modern ? 'verified' : 'opportunistic',
    protocol,
    cipher: secure.getCipher().name,
    certificate,
    trusted,
    nameMatches,
    validationError,
  };
}

/** Words for the certificate errors a mail server most often shows. */
const CERT_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: ' (self-signed certificate)',
  SELF_SIGNED_CERT_IN_CHAIN: ' (self-signed certificate in the chain)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ' (issuer not known; incomplete chain?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ' (issued by a CA that is not trusted)',
  CERT_HAS_EXPIRED: ' (certificate expired)',
  CERT_NOT_YET_VALID: ' (certificate not yet valid)',
};

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code !== undefined && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return 'unknown error';
}

/** Server-chosen text, made safe to show and store: printable ASCII, bounded. */
function printable(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
    .slice(0, 200);
}
