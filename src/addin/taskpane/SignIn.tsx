import { Button, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { createNaaClient, type EntraSettings } from '../auth/naa';

/**
 * Signs the sender in with Nested App Authentication while the pane is open,
 * so the on-send handler's silent request finds a session. Prompts only when
 * the sender presses the button.
 */
export function SignIn({ settings }: { settings: EntraSettings }): ReactElement | null {
  const client = useMemo(() => createNaaClient(settings), [settings]);
  const [state, setState] = useState<'checking' | 'signed-in' | 'needed' | 'error'>('checking');
  const [message, setMessage] = useState('');
  useEffect(() => {
    client.silent().then(
      () => {
        setState('signed-in');
      },
      () => {
        setState('needed');
      },
    );
  }, [client]);
  if (state === 'signed-in') return null;
  if (state === 'checking') return <Spinner size="tiny" label="Signing in…" />;
  return (
    <MessageBar intent={state === 'error' ? 'error' : 'warning'}>
      <MessageBarBody>
        {state === 'error'
          ? `Sign-in failed: ${message}. `
          : 'Sign in so protected messages can be sent securely. '}
        <Button
          size="small"
          onClick={() => {
            setState('checking');
            client.interactive().then(
              () => {
                setState('signed-in');
              },
              (e: unknown) => {
                setMessage(e instanceof Error ? e.message : 'unknown error');
                setState('error');
              },
            );
          }}
        >
          Sign in
        </Button>
      </MessageBarBody>
    </MessageBar>
  );
}
