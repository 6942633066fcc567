/**
 * `secure-envelope manifest`: the admin's copy of the add-in manifest for
 * their own host, in both forms Microsoft 365 accepts: the XML manifest
 * (centralized deployment) and the unified JSON manifest with its two icons.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command } from '../command';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEV_ORIGIN = 'https://localhost:3000';
const GUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/** Names the commands bundle and the manifest share (src/addin/core/config.ts). */
const ON_SEND_FUNCTION = 'onMessageSendHandler';
const TASKPANE_BUTTON = 'msgComposeOpenPaneButton';

const USAGE = `usage: secure-envelope manifest --url https://addin.example.org [--id <guid>] --out <dir>

Writes the add-in manifest for your host into <dir>:

  manifest.xml    XML manifest for centralized deployment (Microsoft 365 admin
                  center > Integrated apps > Upload custom apps)
  manifest.json   the same as a unified manifest, with color.png (192 px) and
                  outline.png (32 px) beside it; zip the three to upload it

  --url URL           where this server is reachable (https, origin only)
  --id GUID           the add-in id; by default one derived from the URL, so
                      writing the manifest again for the same host keeps it
  --client-id GUID    Entra app (client) id: adds WebApplicationInfo, which
                      classic Outlook's on-send runtime needs for single sign-on
  --resource URI      the API's Application ID URI (default api://<host>/<client id>)
  -h, --help          show this help

Check the result with Microsoft's validator before uploading:
  npx office-addin-manifest validate <dir>/manifest.xml`;

const FLAGS = {
  url: { type: 'string' },
  id: { type: 'string' },
  out: { type: 'string' },
  'client-id': { type: 'string' },
  resource: { type: 'string' },
} as const;

/** A name-based UUID (version 5 layout over SHA-1), stable for the same host. */
export function idForUrl(origin: string): string {
  const h = createHash('sha1').update(`secure-envelope-addin:${origin}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url: '${raw}' is not a URL (give e.g. https://addin.example.org)`);
  }
  if (url.protocol !== 'https:') throw new UsageError('--url: Outlook loads add-ins over https only');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new UsageError('--url: give the origin only (https://host[:port]), without a path');
  }
  return url.origin;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function xmlManifest(
  template: string,
  origin: string,
  id: string,
  sso: { clientId: string; resource: string } | null,
): string {
  let xml = template.replaceAll(DEV_ORIGIN, origin).replace(/<Id>[^<]*<\/Id>/, `<Id>${id}</Id>`);
  if (sso !== null) {
    const info =
      `      <WebApplicationInfo>\n        <Id>${escapeXml(sso.clientId)}</Id>\n` +
      `        <Resource>${escapeXml(sso.resource)}</Resource>\n        <Scopes>\n` +
      '          <Scope>openid</Scope>\n          <Scope>profile</Scope>\n        </Scopes>\n' +
      '      </WebApplicationInfo>\n';
    // Inside the inner (V1_1) VersionOverrides, after its Resources.
    xml = xml.replace(/(<\/Resources>\n)(\s*<\/VersionOverrides>)/, `$1${info}$2`);
  }
  return xml;
}

export function unifiedManifest(
  origin: string,
  id: string,
  sso: { clientId: string; resource: string } | null,
): Record<string, unknown> {
  const u = (path: string): string => `${origin}${path}`;
  const icons = (sizes: readonly number[]) =>
    sizes.map((size) => ({ size, url: u(`/addin/assets/icon-${size}.png`) }));
  const mailbox112 = [{ name: 'Mailbox', minVersion: '1.12' }];
  return {
    $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    id,
    version: '0.1.0',
    name: { short: 'Secure Envelope', full: 'Secure Envelope for Outlook' },
    description: {
      short: 'Sends sensitive mail securely when the recipient lacks TLS.',
      full:
        'Finds protected health, payment and personal data before you send, and sends it securely ' +
        "when the recipient's mail server lacks verified TLS.",
    },
    developer: {
      name: 'Secure Envelope',
      websiteUrl: u('/addin/help.html'),
      privacyUrl: u('/addin/help.html'),
      termsOfUseUrl: u('/addin/help.html'),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#0F6CBD',
    localizationInfo: { defaultLanguageTag: 'en-us' },
    validDomains: [new URL(origin).host],
    ...(sso !== null ? { webApplicationInfo: { id: sso.clientId, resource: sso.resource } } : {}),
    authorization: {
      permissions: { resourceSpecific: [{ name: 'MailboxItem.ReadWrite.User', type: 'Delegated' }] },
    },
    extensions: [
      {
        requirements: { scopes: ['mail'], capabilities: mailbox112 },
        runtimes: [
          {
            id: 'CommandsRuntime',
            type: 'general',
            code: { page: u('/addin/commands.html'), script: u('/addin/commands.js') },
            lifetime: 'short',
            actions: [{ id: ON_SEND_FUNCTION, type: 'executeFunction', displayName: ON_SEND_FUNCTION }],
          },
          {
            id: 'TaskPaneRuntime',
            type: 'general',
            code: { page: u('/addin/taskpane.html') },
            lifetime: 'short',
            actions: [{ id: 'openTaskPane', type: 'openPage', displayName: 'Check message', pinnable: true }],
          },
        ],
        ribbons: [
          {
            contexts: ['mailCompose'],
            tabs: [
              {
                builtInTabId: 'TabDefault',
                groups: [
                  {
                    id: 'msgComposeGroup',
                    label: 'Secure Envelope',
                    icons: icons([16, 32, 80]),
                    controls: [
                      {
                        id: TASKPANE_BUTTON,
                        type: 'button',
                        label: 'Check message',
                        icons: icons([16, 32, 80]),
                        supertip: {
                          title: 'Check message',
                          description:
                            'Shows what sensitive data this message holds and whether it will be sent securely.',
                        },
                        actionId: 'openTaskPane',
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        autoRunEvents: [
          {
            requirements: { capabilities: mailbox112 },
            events: [{ type: 'messageSending', actionId: ON_SEND_FUNCTION, options: { sendMode: 'block' } }],
          },
        ],
      },
    ],
  };
}

/**
 * The unified manifest's two icons, drawn once from assets/logo.png and kept
 * as files: a 192 px color icon and a 32 px white-on-transparent outline.
 */
const UNIFIED_ICONS = [
  { asset: 'icon-color-192.png', file: 'color.png' },
  { asset: 'icon-outline-32.png', file: 'outline.png' },
] as const;

export const manifestCommand: Command = {
  name: 'manifest',
  summary: "write the add-in manifest (XML and unified JSON) for an admin's host",
  usage: USAGE,
  async run(args, context) {
    const { flags, positionals } = parseFlags(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`, true);
    if (typeof flags.url !== 'string') throw new UsageError('--url is required', true);
    if (typeof flags.out !== 'string') throw new UsageError('--out is required', true);
    const origin = parseOrigin(flags.url);
    const id = typeof flags.id === 'string' ? flags.id : idForUrl(origin);
    if (!GUID.test(id))
      throw new UsageError(`--id: '${id}' is not a GUID (like 6f1f8d2e-3b7a-4c1e-9a52-5d0c7e2b9a41)`);
    let sso: { clientId: string; resource: string } | null = null;
    if (typeof flags['client-id'] === 'string') {
      const clientId = flags['client-id'];
      if (!GUID.test(clientId)) throw new UsageError(`--client-id: '${clientId}' is not a GUID`);
      const resource =
        typeof flags.resource === 'string' ? flags.resource : `api://${new URL(origin).host}/${clientId}`;
      sso = { clientId, resource };
    } else if (typeof flags.resource === 'string') {
      throw new UsageError('--resource needs --client-id');
    }
    const out = resolve(flags.out);
    try {
      await mkdir(out, { recursive: true });
      const template = await readFile(join(ROOT, 'manifest.xml'), 'utf8');
      await writeFile(join(out, 'manifest.xml'), xmlManifest(template, origin, id.toLowerCase(), sso));
      await writeFile(
        join(out, 'manifest.json'),
        JSON.stringify(unifiedManifest(origin, id.toLowerCase(), sso), null, 2) + '\n',
      );
      for (const icon of UNIFIED_ICONS) {
        await copyFile(join(ROOT, 'assets', icon.asset), join(out, icon.file));
      }
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot write to ${out}: ${e instanceof Error ? e.message : 'unknown error'}`, 1);
    }
    for (const f of ['manifest.xml', 'manifest.json', 'color.png', 'outline.png']) {
      await context.stdout.line(join(out, f));
    }
    await context.stderr.line(
      `add-in id ${id.toLowerCase()}; check with: npx office-addin-manifest validate ${join(out, 'manifest.xml')}`,
    );
    return 0;
  },
};
