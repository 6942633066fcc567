/**
 * How the add-in reaches its server and signs the sender in. The server that
 * hosts the add-in writes this into the bundles it serves (a `var` before the
 * bundle), because the JavaScript-only runtime of classic Outlook has no
 * `location` to ask and every extra request costs time at send.
 */

export type AuthConfig =
  /** Development: tokens from the server's built-in issuer (`/dev/token`). */
  | { kind: 'development'; tokenPath: string }
  /** Entra ID through Nested App Authentication (MSAL) and, where declared, Office SSO. */
  | { kind: 'entra'; clientId: string; authority: string; scopes: string[] };

export interface AddinConfig {
  /** Origin of the secure-envelope service, e.g. https://addin.example.org. */
  apiBase: string;
  auth: AuthConfig;
  /** The manifest id of the ribbon button that opens the task pane (offered by Smart Alerts). */
  taskpaneCommandId: string;
}

declare const __SECURE_ENVELOPE_CONFIG__: AddinConfig | undefined;

export const TASKPANE_COMMAND_ID = 'msgComposeOpenPaneButton';
/** The function name the manifest's LaunchEvent names; the commands bundle registers it. */
export const ON_SEND_FUNCTION = 'onMessageSendHandler';
/**
 * The manifest's "Send securely" function command, and the function it runs:
 * a Smart Alert offers it as its action where the client can run a function
 * from the alert (Mailbox 1.15), so securing the message is one click.
 */
export const SEND_SECURELY_COMMAND_ID = 'msgComposeSendSecurelyButton';
export const SEND_SECURELY_FUNCTION = 'sendSecurely';

/** The configuration the hosting server wrote, or null when the bundle was loaded some other way. */
export function injectedConfig(): AddinConfig | null {
  return typeof __SECURE_ENVELOPE_CONFIG__ === 'undefined' ? null : __SECURE_ENVELOPE_CONFIG__;
}
