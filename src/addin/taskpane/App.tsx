import {
  Badge,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import type { Analysis, RecipientView } from '../core/analyze';
import { decisionSentence } from '../core/decision-text';
import { findingLabel } from '../core/labels';
import type { Services } from './services';
import { SendAsIs } from './SendAsIs';
import { SentItems } from './SentItems';
import { SignIn } from './SignIn';
import { useAnalysis } from './use-analysis';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    maxWidth: '100%',
    boxSizing: 'border-box',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  row: { display: 'flex', flexDirection: 'column', gap: '2px', overflowWrap: 'anywhere' },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  value: { fontFamily: tokens.fontFamilyMonospace },
  muted: { color: tokens.colorNeutralForeground3 },
  heading: { display: 'block', margin: `0 0 ${tokens.spacingVerticalXS}` },
});

function verdictBadge(r: RecipientView): ReactElement {
  if (r.internal)
    return (
      <Badge appearance="tint" color="informative">
        Internal
      </Badge>
    );
  if (r.override === 'always-secure')
    return (
      <Badge appearance="tint" color="warning">
        Consumer mail: always secure
      </Badge>
    );
  if (r.override === 'known-good')
    return (
      <Badge appearance="tint" color="success">
        Known good
      </Badge>
    );
  const v = r.verdict;
  if (v === null)
    return (
      <Badge appearance="tint" color="subtle">
        Not checked
      </Badge>
    );
  const label: Record<string, string> = {
    'mta-sts': 'MTA-STS enforced',
    verified: 'Verified TLS',
    opportunistic: 'Unverified TLS',
    none: 'No TLS',
    'no-mail': 'Takes no mail',
    unknown: 'TLS unknown',
  };
  return (
    <Badge appearance="tint" color={v.protected ? 'success' : v.level === 'unknown' ? 'warning' : 'danger'}>
      {label[v.level] ?? v.level}
    </Badge>
  );
}

function intentOf(a: Analysis): 'success' | 'info' | 'warning' | 'error' {
  switch (a.decision.kind) {
    case 'allow':
      return a.findings.length > 0 ? 'info' : 'success';
    case 'secure':
      return 'warning';
    default:
      return 'error';
  }
}

export function App({ services }: { services: Services }): ReactElement {
  const styles = useStyles();
  const { state, forceSecure, setForceSecure, rescan } = useAnalysis(services);
  const [switchError, setSwitchError] = useState<string | null>(null);
  const securedByPolicy =
    state.phase === 'ready' &&
    state.analysis.decision.kind === 'secure' &&
    state.analysis.decision.reason === 'unprotected';

  return (
    <main className={styles.root} aria-label="Secure Envelope">
      <div className={styles.header}>
        <Subtitle2 as="h1">Secure Envelope</Subtitle2>
        <Button size="small" onClick={rescan} disabled={state.phase === 'loading'}>
          Re-scan
        </Button>
      </div>
      {services.config.auth.kind === 'entra' && <SignIn settings={services.config.auth} />}
      <div
        aria-live="polite"
        aria-busy={state.phase === 'loading' || (state.phase === 'ready' && state.refreshing)}
      >
        {state.phase === 'loading' && <Spinner size="tiny" label="Checking the message…" />}
        {state.phase === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>Could not check the message</MessageBarTitle>
              {state.message}.{' '}
              <Button size="small" appearance="transparent" onClick={rescan}>
                Try again
              </Button>
            </MessageBarBody>
          </MessageBar>
        )}
        {state.phase === 'sent' && (
          <MessageBar intent="success" data-testid="decision">
            <MessageBarBody>
              <MessageBarTitle>Sent as Secure Email</MessageBarTitle>
              Each recipient gets one e-mail: a notice with their own secure link.{' '}
              {state.copyKept
                ? 'Outlook’s copy went to you alone, so Sent Items keeps what you wrote.'
                : 'What you see in the message now is a notice that holds none of it.'}
            </MessageBarBody>
          </MessageBar>
        )}
        {state.phase === 'ready' && (
          <MessageBar intent={intentOf(state.analysis)} data-testid="decision">
            <MessageBarBody>
              <MessageBarTitle>On send</MessageBarTitle>
              {decisionSentence(state.analysis.decision, state.analysis.found)}
              {state.refreshing && <Spinner size="extra-tiny" label="Updating…" labelPosition="after" />}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {state.phase !== 'sent' && (
        <Switch
          label="Send securely"
          // One source of truth: the switch shows what will happen on send. When
          // the policy already secures the message, it is on and cannot be turned off.
          checked={forceSecure || securedByPolicy}
          disabled={securedByPolicy && !forceSecure}
          aria-describedby={securedByPolicy && !forceSecure ? 'secure-by-policy' : undefined}
          onChange={(_e, data) => {
            setSwitchError(null);
            setForceSecure(data.checked).catch((e: unknown) => {
              setSwitchError(e instanceof Error ? e.message : 'the choice could not be saved');
            });
          }}
        />
      )}
      {securedByPolicy && !forceSecure && (
        <Caption1 as="p" id="secure-by-policy" className={styles.muted}>
          Your organization requires Secure Email for these recipients.
        </Caption1>
      )}
      {switchError !== null && (
        <MessageBar intent="error">
          <MessageBarBody>Could not save “Send securely”: {switchError}</MessageBarBody>
        </MessageBar>
      )}
      {state.phase === 'ready' && state.analysis.override !== undefined && !forceSecure && (
        <SendAsIs
          services={services}
          override={state.analysis.override}
          reasonRequired={state.reasonRequired}
          onRecorded={rescan}
        />
      )}
      {state.phase === 'ready' && <Details analysis={state.analysis} policySource={state.policySource} />}
      <SentItems services={services} refreshKey={state.phase === 'sent' ? state.envelopeId : ''} />
    </main>
  );
}

function Details({ analysis, policySource }: { analysis: Analysis; policySource: string }): ReactElement {
  const styles = useStyles();
  return (
    <>
      <section aria-labelledby="findings-heading">
        <Subtitle2 as="h2" id="findings-heading" className={styles.heading}>
          Findings ({analysis.findings.length})
        </Subtitle2>
        {analysis.findings.length === 0 ? (
          <Text as="p" className={styles.muted}>
            No sensitive data found.
          </Text>
        ) : (
          <ul className={styles.list}>
            {analysis.findings.map((f, i) => (
              <li key={i} className={styles.row}>
                <span className={styles.line}>
                  <Badge appearance="filled" color="danger">
                    {findingLabel(f.finding.type)}
                  </Badge>
                  <span className={styles.value} aria-label={`masked value ${f.masked}`}>
                    {f.masked}
                  </span>
                  <Caption1>{f.where}</Caption1>
                </span>
                <Caption1 className={styles.muted}>{f.finding.explanation}</Caption1>
              </li>
            ))}
          </ul>
        )}
        {analysis.unscanned.length > 0 && (
          <Caption1 as="p" className={styles.muted}>
            {analysis.unscanned.join('; ')}
          </Caption1>
        )}
      </section>
      <section aria-labelledby="recipients-heading">
        <Subtitle2 as="h2" id="recipients-heading" className={styles.heading}>
          Recipients ({analysis.recipients.length})
        </Subtitle2>
        {analysis.tlsError !== null && (
          <MessageBar intent="warning">
            <MessageBarBody>
              The TLS check is unavailable ({analysis.tlsError}); unchecked domains count as unprotected.
            </MessageBarBody>
          </MessageBar>
        )}
        {analysis.recipients.length === 0 ? (
          <Text as="p" className={styles.muted}>
            No recipients yet.
          </Text>
        ) : (
          <ul className={styles.list}>
            {analysis.recipients.map((r) => (
              <li key={r.address} className={styles.line} title={r.verdict?.message ?? ''}>
                <Text>{r.address}</Text>
                {verdictBadge(r)}
              </li>
            ))}
          </ul>
        )}
      </section>
      {policySource === 'builtin' && (
        <MessageBar intent="warning">
          <MessageBarBody>
            The secure mail service is unreachable: using the built-in policy. Sensitive mail to unprotected
            domains will be held until it is back.
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
