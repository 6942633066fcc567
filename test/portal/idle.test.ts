import { describe, expect, it } from 'vitest';
import {
  IDLE_LIMIT_MS,
  KEEP_ALIVE_EVERY_MS,
  parseTime,
  sessionPhase,
  shouldKeepAlive,
  WARNING_MS,
} from '../../src/portal/session/idle';

const T0 = Date.parse('2026-11-02T09:00:00Z');
const MIN = 60_000;

describe('sessionPhase', () => {
  const clock = { lastActivityAt: T0, lastServerContactAt: T0 };

  it('is active until a minute before 15 idle minutes', () => {
    expect(IDLE_LIMIT_MS).toBe(15 * MIN);
    expect(sessionPhase(clock, T0).phase).toBe('active');
    expect(sessionPhase(clock, T0 + 14 * MIN - 1).phase).toBe('active');
  });

  it('warns during the last minute, counting down whole seconds', () => {
    const p = sessionPhase(clock, T0 + 14 * MIN);
    expect(p).toEqual({ phase: 'warning', reason: 'idle', endsAt: T0 + 15 * MIN, secondsLeft: 60 });
    const q = sessionPhase(clock, T0 + 15 * MIN - 1500);
    expect(q.phase === 'warning' && q.secondsLeft).toBe(2);
  });

  it('ends at 15 idle minutes exactly, and stays ended', () => {
    expect(sessionPhase(clock, T0 + 15 * MIN)).toEqual({ phase: 'ended', reason: 'idle' });
    expect(sessionPhase(clock, T0 + 300 * MIN)).toEqual({ phase: 'ended', reason: 'idle' });
  });

  it('starts over after activity', () => {
    const later = { ...clock, lastActivityAt: T0 + 10 * MIN };
    expect(sessionPhase(later, T0 + 16 * MIN).phase).toBe('active');
    expect(sessionPhase(later, T0 + 24 * MIN).phase).toBe('warning');
    expect(sessionPhase(later, T0 + 25 * MIN).phase).toBe('ended');
  });

  it('lets the absolute limit win when it comes first, however active the reader is', () => {
    const absolute = {
      lastActivityAt: T0 + 8 * 60 * MIN - 5 * MIN,
      lastServerContactAt: T0,
      absoluteExpiresAt: T0 + 8 * 60 * MIN,
    };
    expect(sessionPhase(absolute, T0 + 8 * 60 * MIN - 2 * MIN)).toMatchObject({
      phase: 'active',
      reason: 'absolute',
    });
    expect(sessionPhase(absolute, T0 + 8 * 60 * MIN - 30_000)).toMatchObject({
      phase: 'warning',
      reason: 'absolute',
      secondsLeft: 30,
    });
    expect(sessionPhase(absolute, T0 + 8 * 60 * MIN)).toEqual({ phase: 'ended', reason: 'absolute' });
  });

  it('warns exactly WARNING_MS ahead', () => {
    expect(WARNING_MS).toBe(MIN);
    expect(sessionPhase(clock, T0 + IDLE_LIMIT_MS - WARNING_MS - 1).phase).toBe('active');
    expect(sessionPhase(clock, T0 + IDLE_LIMIT_MS - WARNING_MS).phase).toBe('warning');
  });
});

describe('shouldKeepAlive', () => {
  it('touches the server only when there was activity it has not seen, and not too often', () => {
    expect(shouldKeepAlive({ lastActivityAt: T0, lastServerContactAt: T0 }, T0 + 10 * MIN)).toBe(false);
    expect(shouldKeepAlive({ lastActivityAt: T0 + MIN, lastServerContactAt: T0 }, T0 + MIN + 1)).toBe(false);
    expect(
      shouldKeepAlive({ lastActivityAt: T0 + MIN, lastServerContactAt: T0 }, T0 + KEEP_ALIVE_EVERY_MS),
    ).toBe(true);
  });

  it('keeps the server ahead of the page: after 20 busy minutes, the server has seen the last activity', () => {
    let contact = T0;
    let activity = T0;
    // Typing every second for 20 minutes, then nothing; the page ticks every second.
    for (let t = T0; t <= T0 + 40 * MIN; t += 1000) {
      if (t <= T0 + 20 * MIN) activity = t;
      if (shouldKeepAlive({ lastActivityAt: activity, lastServerContactAt: contact }, t)) contact = t;
      expect(activity - contact).toBeLessThanOrEqual(KEEP_ALIVE_EVERY_MS);
    }
    // So the server's idle limit (from its last contact) never ends the session before the page's.
    expect(contact).toBeGreaterThanOrEqual(activity);
    expect(contact).toBeLessThanOrEqual(activity + KEEP_ALIVE_EVERY_MS);
  });
});

describe('parseTime', () => {
  it('reads ISO times and refuses the rest', () => {
    expect(parseTime('2026-11-02T09:00:00Z')).toBe(T0);
    expect(parseTime('soon')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });
});
