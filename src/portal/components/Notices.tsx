import { MessageBar, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { errorText } from '../api/errors';

/** Progress that a screen reader hears as well as sees. */
export function Busy({ label }: { label: string }): ReactNode {
  return (
    <div role="status" aria-live="polite">
      <Spinner size="small" label={label} labelPosition="after" />
    </div>
  );
}

/** A failed call, as the API's message in words a person can act on. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }): ReactNode {
  return (
    <MessageBar intent="error" politeness="assertive" role="alert">
      <MessageBarBody>
        {title === undefined ? null : <MessageBarTitle>{title}</MessageBarTitle>}
        {errorText(error)}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({
  intent,
  title,
  children,
}: {
  intent: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <MessageBar intent={intent} politeness="polite" role="status">
      <MessageBarBody>
        {title === undefined ? null : <MessageBarTitle>{title}</MessageBarTitle>}
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}
