import { injectedConfig, TASKPANE_COMMAND_ID, type AddinConfig } from '../core/config';
import type { FetchLike } from '../core/http';
import { PolicySource } from '../core/policy-source';
import { TlsSource } from '../core/tls-source';
import { TokenSource } from '../core/token-source';
import { officeHost, type MailHost } from '../office/index';

/** What the task pane talks to: Outlook through the office module, the server over fetch. */
export interface Services {
  config: AddinConfig;
  host: MailHost;
  policies: PolicySource;
  tls: TlsSource;
  fetch: FetchLike;
  /** A token for the API (signs in first if need be). */
  token(): Promise<string>;
}

export function createServices(): Services {
  const config: AddinConfig = injectedConfig() ?? {
    apiBase: location.origin,
    auth: { kind: 'development', tokenPath: '/dev/token' },
    taskpaneCommandId: TASKPANE_COMMAND_ID,
  };
  const fetchJson: FetchLike = (url, init) => fetch(url, init);
  const host = officeHost();
  const tokens = new TokenSource(config, fetchJson);
  return {
    config,
    host,
    policies: new PolicySource(config.apiBase, fetchJson),
    tls: new TlsSource(config.apiBase, fetchJson, (timeoutMs) => tokens.get(host, timeoutMs)),
    fetch: fetchJson,
    token: () => tokens.get(host, 10_000),
  };
}
