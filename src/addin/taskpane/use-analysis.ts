import { useCallback, useEffect, useRef, useState } from 'react';
import { analyze, fingerprintOf, type Analysis } from '../core/analyze';
import { SEND_SECURELY_PROPERTY, sentEnvelope } from '../core/on-send';
import type { Services } from './services';

export type AnalysisState =
  | { phase: 'loading' }
  | {
      phase: 'ready';
      analysis: Analysis;
      refreshing: boolean;
      policySource: string;
      /** Sending it as is needs a reason (the policy's overrideReason). */
      reasonRequired: boolean;
    }
  | { phase: 'error'; message: string }
  /** The message went as Secure Email: the draft is sealed (its own copy kept for the sender, or a notice in its place). */
  | { phase: 'sent'; envelopeId: string; copyKept: boolean };

/** How often the pane looks for body and subject edits (Outlook reports no event for them). */
const POLL_MS = 1000;

/**
 * Keeps the analysis current: on open, when Outlook reports a recipient or
 * attachment change, when the body or subject changed (polled), and on
 * demand. Never two runs at once; the latest request wins.
 */
export function useAnalysis(services: Services): {
  state: AnalysisState;
  forceSecure: boolean;
  setForceSecure: (on: boolean) => Promise<void>;
  rescan: () => void;
} {
  const [state, setState] = useState<AnalysisState>({ phase: 'loading' });
  const [forceSecure, setForce] = useState(false);
  const running = useRef(false);
  const again = useRef(false);
  const last = useRef<string>('');
  const force = useRef(false);

  const run = useCallback(async (): Promise<void> => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    setState((s) => (s.phase === 'ready' ? { ...s, refreshing: true } : s));
    try {
      const item = services.host.item();
      const sent = await sentEnvelope(item);
      if (sent !== null) {
        last.current = `sent:${sent.id}`;
        setState({ phase: 'sent', envelopeId: sent.id, copyKept: sent.copyKept });
        return;
      }
      const stored = await item.getDraftProperty(SEND_SECURELY_PROPERTY).catch(() => null);
      force.current = stored === '1';
      setForce(force.current);
      const { policy, source } = await services.policies.get(item, services.host.userAddress(), 5000);
      const analysis = await analyze(item, policy, services.tls, force.current);
      last.current = analysis.fingerprint;
      setState({
        phase: 'ready',
        analysis,
        refreshing: false,
        policySource: source,
        reasonRequired: policy.overrideReason !== 'optional',
      });
    } catch (e) {
      setState({
        phase: 'error',
        message: e instanceof Error ? e.message : 'the message could not be read',
      });
    } finally {
      running.current = false;
      if (again.current) {
        again.current = false;
        void run();
      }
    }
  }, [services]);

  useEffect(() => {
    void run();
    let unsubscribe: (() => void) | undefined;
    let stopped = false;
    void services.host
      .onItemChanged(() => void run())
      .then((off) => {
        if (stopped) off();
        else unsubscribe = off;
      });
    const timer = setInterval(() => {
      if (running.current) return;
      const item = services.host.item();
      void Promise.all([
        item.getRecipients(),
        item.getSubject(),
        item.getBodyHtml(),
        item.getAttachments(),
        sentEnvelope(item),
      ])
        .then(([recipients, subject, html, attachments, sent]) => {
          const now = fingerprintOf(recipients, subject, html, attachments.length, force.current);
          // Sealing the draft for sending changes it in steps; the last step says it went.
          const state = sent === null ? now : `sent:${sent.id}`;
          if (state !== last.current) void run();
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      stopped = true;
      unsubscribe?.();
      clearInterval(timer);
    };
  }, [run, services]);

  const setForceSecure = useCallback(
    async (on: boolean): Promise<void> => {
      setForce(on);
      force.current = on;
      await services.host.item().setDraftProperty(SEND_SECURELY_PROPERTY, on ? '1' : null);
      await run();
    },
    [run, services],
  );

  return { state, forceSecure, setForceSecure, rescan: () => void run() };
}
