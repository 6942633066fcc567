import { Button } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SignInResult } from '../shared/portal-api';
import { asSentence } from './api/errors';
import { onSessionEnded } from './api/client';
import { readSession, signOut, type SessionState } from './api/portal';
import { IdleWarning } from './components/IdleWarning';
import { Busy, ErrorNotice } from './components/Notices';
import { Page } from './components/Page';
import { Shell } from './components/Shell';
import { EmailLinkPage } from './pages/EmailLinkPage';
import { EmailLinkSignInPage } from './pages/EmailLinkSignInPage';
import { ForgotPage } from './pages/ForgotPage';
import { InboxPage } from './pages/InboxPage';
import { LinkPage } from './pages/LinkPage';
import { NewMessagePage } from './pages/NewMessagePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ResetPage } from './pages/ResetPage';
import { SignInPage } from './pages/SignInPage';
import { ThreadPage } from './pages/ThreadPage';
import { PortalContext, type PortalContextValue } from './portal-context';
import { needsSession, routeHash, type Route, type SignInReason } from './routing';
import { parseTime } from './session/idle';
import { useIdleSignOut } from './session/use-idle-sign-out';
import { forgetThreads } from './threads-cache';
import { navigate, useRoute } from './use-route';

/** Where a route sends someone given their session; undefined: stay. */
function redirectFor(route: Route, session: SessionState): Route | undefined {
  const signedIn = session.signedIn;
  // A session this browser had ended while the page was closed or asleep: say which limit ended it.
  const ended =
    session.endedReason === 'idle' || session.endedReason === 'absolute' ? session.endedReason : undefined;
  const signIn: Route = ended === undefined ? { name: 'sign-in' } : { name: 'sign-in', reason: ended };
  if (route.name === 'start') return signedIn ? { name: 'inbox' } : signIn;
  if (route.name === 'sign-in' && signedIn) return { name: 'inbox' };
  if (needsSession(route) && !signedIn) return signIn;
  return undefined;
}

function PageFor({ route, endNote }: { route: Route; endNote: string | undefined }): ReactNode {
  switch (route.name) {
    case 'link':
      return <LinkPage />;
    case 'sign-in':
      return (
        <SignInPage reason={route.reason} note={route.reason === 'session-ended' ? endNote : undefined} />
      );
    case 'forgot':
      return <ForgotPage />;
    case 'reset':
      return <ResetPage />;
    case 'email-link':
      return <EmailLinkPage />;
    case 'email-link-sign-in':
      return <EmailLinkSignInPage />;
    case 'inbox':
      return <InboxPage />;
    case 'thread':
      return <ThreadPage id={route.id} />;
    case 'new':
      return <NewMessagePage to={route.to} />;
    case 'not-found':
      return <NotFoundPage />;
    case 'start':
      return null;
  }
}

export function App(): ReactNode {
  const route = useRoute();
  const [session, setSession] = useState<SessionState | undefined>(undefined);
  /** The API's own words for why a session ended mid-use ("signed out after 15 minutes…"). */
  const [endNote, setEndNote] = useState<string | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const pending = useRef<Route | undefined>(undefined);

  const load = useCallback(() => {
    setLoadError(undefined);
    readSession().then(setSession, setLoadError);
  }, []);
  useEffect(load, [load]);

  /** Forget everything this page knew, take a fresh pre-session CSRF token, and go to sign-in. */
  const leave = useCallback(async (reason: SignInReason, tellServer: boolean) => {
    forgetThreads();
    if (tellServer) await signOut().catch(() => undefined);
    const fresh = await readSession().catch(() => undefined);
    // The reason is carried by the route from here on.
    if (fresh !== undefined) delete fresh.endedReason;
    setSession((s) => fresh ?? (s === undefined ? s : { csrfToken: s.csrfToken, signedIn: false }));
    navigate({ name: 'sign-in', reason }, { replace: true });
  }, []);

  useEffect(
    () =>
      onSessionEnded((error) => {
        setEndNote(error.message === '' ? undefined : asSentence(error.message));
        void leave('session-ended', false);
      }),
    [leave],
  );

  const signedIn = session?.signedIn === true;
  const idle = useIdleSignOut(signedIn, parseTime(session?.absoluteExpiresAt), (reason) => {
    void leave(reason, true);
  });

  // Redirects: the landing page, pages that need a session, sign-in when already signed in.
  const redirect = session === undefined ? undefined : redirectFor(route, session);
  useEffect(() => {
    if (redirect === undefined) return;
    if (redirect.name === 'sign-in' && needsSession(route)) pending.current = route;
    navigate(redirect, { replace: true });
  }, [redirect, route]);

  const context = useMemo<PortalContextValue | undefined>(() => {
    if (session === undefined) return undefined;
    return {
      session,
      pendingRoute: pending.current,
      signedIn: async (result: SignInResult) => {
        const info = await readSession().catch((): SessionState => ({
          signedIn: true,
          address: result.address,
          csrfToken: result.csrfToken,
        }));
        setSession(info);
        const next: Route =
          result.threadId !== undefined
            ? { name: 'thread', id: result.threadId }
            : (pending.current ?? { name: 'inbox' });
        pending.current = undefined;
        navigate(next, { replace: true });
      },
      signOut: (reason: SignInReason) => leave(reason, true),
    };
  }, [session, leave]);

  let content: ReactNode;
  if (loadError !== undefined) {
    content = (
      <Page title="Secure messages">
        <ErrorNotice error={loadError} />
        <div>
          <Button appearance="primary" onClick={load}>
            Try again
          </Button>
        </div>
      </Page>
    );
  } else if (context === undefined || redirect !== undefined) {
    content = <Busy label="Loading…" />;
  } else {
    content = (
      <PortalContext.Provider value={context}>
        <PageFor key={routeHash(route)} route={route} endNote={endNote} />
      </PortalContext.Provider>
    );
  }

  return (
    <Shell
      address={signedIn ? session.address : undefined}
      onSignOut={() => {
        void leave('signed-out', true);
      }}
    >
      {content}
      {idle.warning === undefined ? null : (
        <IdleWarning
          reason={idle.warning.reason}
          secondsLeft={idle.warning.secondsLeft}
          onStay={idle.stay}
          onSignOut={() => {
            void leave('signed-out', true);
          }}
        />
      )}
    </Shell>
  );
}
