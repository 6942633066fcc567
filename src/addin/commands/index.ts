/**
 * The on-send handler bundle: one ES2016 file with no React and no DOM, for
 * Outlook's event runtime (a hidden page on the web, new Outlook and Mac; the
 * JavaScript-only runtime in classic Outlook on Windows). The handler is
 * associated at the top level, as Outlook requires.
 */
import {
  ON_SEND_FUNCTION,
  SEND_SECURELY_FUNCTION,
  TASKPANE_COMMAND_ID,
  injectedConfig,
  type AddinConfig,
} from '../core/config';
import type { FetchLike } from '../core/http';
import { createOnSendHandler, SEND_SECURELY_PROPERTY } from '../core/on-send';
import { PolicySource } from '../core/policy-source';
import { TlsSource } from '../core/tls-source';
import { TokenSource } from '../core/token-source';
import { associateCommand, associateOnSend, officeHost } from '../office/index';

declare const location: { origin: string } | undefined;

/** Without the server's configuration nothing can be secured, so such sends are blocked, never leaked. */
function config(): AddinConfig {
  return (
    injectedConfig() ?? {
      apiBase: typeof location === 'undefined' ? '' : location.origin,
      auth: { kind: 'entra', clientId: '', authority: '', scopes: [] },
      taskpaneCommandId: TASKPANE_COMMAND_ID,
    }
  );
}

const settings = config();
const fetchJson: FetchLike = (url, init) => fetch(url, init);
const tokens = new TokenSource(settings, fetchJson);
const host = officeHost();

associateOnSend(
  ON_SEND_FUNCTION,
  createOnSendHandler({
    config: settings,
    fetch: fetchJson,
    policies: new PolicySource(settings.apiBase, fetchJson),
    tls: new TlsSource(settings.apiBase, fetchJson, (timeoutMs) => tokens.get(host, timeoutMs)),
    tokens,
  }),
);

// "Send securely" from the ribbon or from a Smart Alert's button: the next
// Send makes the message Secure Email (the task pane's switch, in one click).
associateCommand(SEND_SECURELY_FUNCTION, (h) => h.item().setDraftProperty(SEND_SECURELY_PROPERTY, '1'));
