import { useEffect, useRef, useState } from 'react';
import { onServerContact } from '../api/client';
import { keepAlive } from '../api/portal';
import { sessionPhase, shouldKeepAlive, type EndReason, type SessionClock, type SessionPhase } from './idle';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input'] as const;

export interface IdleState {
  /** The warning to show, when the end is less than a minute away. */
  warning: Extract<SessionPhase, { phase: 'warning' }> | undefined;
  /** "Stay signed in": counts as activity and tells the server (for the absolute limit: closes the warning). */
  stay: () => void;
}

/**
 * Watches activity while signed in; warns a minute before the end and calls
 * `onEnd` when the idle or absolute limit is reached. Activity during the
 * warning does not count: the reader must answer it.
 */
export function useIdleSignOut(
  active: boolean,
  absoluteExpiresAt: number | undefined,
  onEnd: (reason: EndReason) => void,
): IdleState {
  const clock = useRef<SessionClock>({ lastActivityAt: Date.now(), lastServerContactAt: Date.now() });
  const warningShown = useRef(false);
  // The absolute limit cannot be extended: once its warning is acknowledged it stays closed.
  const absoluteAcknowledged = useRef(false);
  const [warning, setWarning] = useState<IdleState['warning']>(undefined);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;

  useEffect(() => {
    if (!active) return undefined;
    const now = Date.now();
    clock.current = { lastActivityAt: now, lastServerContactAt: now, absoluteExpiresAt };
    warningShown.current = false;
    absoluteAcknowledged.current = false;
    const onActivity = (): void => {
      if (!warningShown.current) clock.current.lastActivityAt = Date.now();
    };
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, onActivity, { capture: true, passive: true });
    const stopContact = onServerContact(() => {
      clock.current.lastServerContactAt = Date.now();
    });
    const tick = (): void => {
      const t = Date.now();
      const phase = sessionPhase(clock.current, t);
      if (phase.phase === 'ended') {
        clearInterval(timer);
        endRef.current(phase.reason);
        return;
      }
      if (phase.phase === 'warning' && !(phase.reason === 'absolute' && absoluteAcknowledged.current)) {
        warningShown.current = true;
        setWarning(phase);
        return;
      }
      warningShown.current = false;
      setWarning(undefined);
      if (shouldKeepAlive(clock.current, t)) {
        clock.current.lastServerContactAt = t;
        keepAlive().catch(() => undefined);
      }
    };
    const timer = setInterval(tick, 1000);
    return () => {
      clearInterval(timer);
      stopContact();
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      setWarning(undefined);
    };
  }, [active, absoluteExpiresAt]);

  return {
    warning,
    stay: () => {
      if (warning?.reason === 'absolute') absoluteAcknowledged.current = true;
      warningShown.current = false;
      clock.current.lastActivityAt = Date.now();
      setWarning(undefined);
      keepAlive().catch(() => undefined);
    },
  };
}
