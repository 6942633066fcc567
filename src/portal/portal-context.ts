import { createContext, useContext } from 'react';
import type { SignInResult } from '../shared/portal-api';
import type { SessionState } from './api/portal';
import type { Route, SignInReason } from './routing';

/** What every page may ask of the app shell. */
export interface PortalContextValue {
  session: SessionState;
  /** After sign-in or registration: reads the session and opens `result.threadId`, the pending page or the inbox. */
  signedIn: (result: SignInResult) => Promise<void>;
  /** Ends the session and returns to sign-in, saying why. */
  signOut: (reason: SignInReason) => Promise<void>;
  /** The page someone asked for before they had to sign in. */
  pendingRoute: Route | undefined;
}

export const PortalContext = createContext<PortalContextValue | undefined>(undefined);

export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (value === undefined) throw new Error('usePortal outside the portal');
  return value;
}
