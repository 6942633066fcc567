import type { FastifyInstance } from 'fastify';

/**
 * Stopping without dropping a request. Closing the listener at once resets
 * the connections still waiting in the kernel's accept queue (requests the
 * client already sent), so a stopping server first drains: health answers
 * 503 so a load balancer sends no more, connections that still arrive are
 * served (and told `Connection: close`), and the listener closes once no
 * request is in flight and none has arrived for a short quiet time, or when
 * the grace period ends.
 */
export interface Drain {
  /** Whether the server is draining. */
  readonly active: () => boolean;
  /** Starts draining; resolves when it is time to close (quiet, or the grace period is over). */
  run(graceMs: number): Promise<void>;
}

/** How long no new request may arrive before a draining server closes. */
const QUIET_MS = 300;
const CHECK_MS = 25;

export function trackDrain(app: FastifyInstance): Drain {
  let draining = false;
  let inFlight = 0;
  let lastArrival = 0;
  app.addHook('onRequest', (_request, reply, done) => {
    inFlight++;
    lastArrival = Date.now();
    if (draining) void reply.header('connection', 'close');
    done();
  });
  app.addHook('onResponse', (_request, _reply, done) => {
    inFlight--;
    done();
  });
  // A connection counts as an arrival: its request may not be read yet.
  app.server.on('connection', () => {
    lastArrival = Date.now();
  });
  return {
    active: () => draining,
    async run(graceMs) {
      draining = true;
      lastArrival = Math.max(lastArrival, Date.now());
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastArrival < QUIET_MS)) {
        await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
      }
    },
  };
}
