import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ON_SEND_FUNCTION, TASKPANE_COMMAND_ID } from '../../src/addin/core/config';
import { FakeMailbox } from '../../src/addin/office/fake-office';
import { runCommandsBundle } from '../addin/bundle-runtime';
import { repoRoot, runCli } from './run-cli';

const URL_ = 'https://addin.example.org';
const ID = '0b5f3a3c-1d2e-4f60-8a7b-9c0d1e2f3a4b';

/** Tags open and close in order (comments, declarations and self-closing tags aside). */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  for (const m of body.matchAll(/<(\/?)([\w:.-]+)(?:\s[^>]*?)?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing === '/') continue;
    if (closing === '/') expect(stack.pop(), `</${name!}> closes the open element`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Every absolute URL in the XML except namespace names. */
function urlsInXml(xml: string): string[] {
  return [...xml.matchAll(/(?<!xmlns(?::\w+)?=")\bhttps?:\/\/[^"<\s]+/g)]
    .map((m) => m[0])
    .filter((u) => !u.startsWith('http://schemas.microsoft.com') && !u.startsWith('http://www.w3.org'));
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('secure-envelope manifest', () => {
  let out: string;
  let xml: string;
  let json: Record<string, unknown> & { extensions: Record<string, unknown>[] };

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'se-manifest-')), 'addin');
    const r = await runCli(['manifest', '--url', URL_, '--id', ID, '--out', out]);
    expect(r.stderr).toMatch(/office-addin-manifest validate/);
    expect(r.status).toBe(0);
    xml = readFileSync(join(out, 'manifest.xml'), 'utf8');
    json = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as typeof json;
  });

  it('writes a well-formed XML manifest with the given id, permission and requirement sets', () => {
    expectWellFormed(xml);
    expect(xml).toContain(`<Id>${ID}</Id>`);
    expect(xml).toContain('xsi:type="MailApp"');
    expect(xml).toContain('<Permissions>ReadWriteItem</Permissions>');
    expect(xml).toMatch(/<Requirements>\s*<Sets>\s*<Set Name="Mailbox" MinVersion="1\.1"\/>/);
    expect(xml).toMatch(/<bt:Sets DefaultMinVersion="1\.12">\s*<bt:Set Name="Mailbox"\/>/);
    expect(xml).toContain('xsi:type="VersionOverridesV1_1"');
  });

  it('declares OnMessageSend in Block mode, with the JavaScript-only override for classic Outlook', () => {
    const launch = /<LaunchEvent [^>]*\/>/.exec(xml)?.[0] ?? '';
    expect(attr(launch, 'Type')).toBe('OnMessageSend');
    expect(attr(launch, 'SendMode')).toBe('Block');
    expect(attr(launch, 'FunctionName')).toBe(ON_SEND_FUNCTION);
    const urls = new Map(
      [...xml.matchAll(/<bt:Url id="([^"]+)" DefaultValue="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const runtime =
      /<Runtime resid="([^"]+)">\s*(?:<!--[\s\S]*?-->\s*)?<Override type="javascript" resid="([^"]+)"\/>/.exec(
        xml,
      );
    expect(runtime, 'Runtimes/Runtime/Override type="javascript"').not.toBeNull();
    expect(urls.get(runtime![1]!)).toBe(`${URL_}/addin/commands.html`);
    expect(urls.get(runtime![2]!)).toBe(`${URL_}/addin/commands.js`);
    const launchPoint =
      /<ExtensionPoint xsi:type="LaunchEvent">[\s\S]*?<SourceLocation resid="([^"]+)"\/>/.exec(xml);
    expect(launchPoint?.[1]).toBe(runtime![1]);
  });

  it('has the task-pane button whose id Smart Alerts name as commandId', () => {
    expect(xml).toContain(`<Control xsi:type="Button" id="${TASKPANE_COMMAND_ID}">`);
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">\s*<SourceLocation resid="Taskpane.Url"\/>/);
    expect(xml).toContain(`<bt:Url id="Taskpane.Url" DefaultValue="${URL_}/addin/taskpane.html"/>`);
  });

  it('points every URL at the given host over https, and lists it in AppDomains', () => {
    const urls = urlsInXml(xml);
    expect(urls.length).toBeGreaterThan(8);
    for (const u of urls) expect(new URL(u).origin, u).toBe(URL_);
    expect(xml).toContain(`<AppDomain>${URL_}</AppDomain>`);
    expect(xml).not.toContain('localhost');
  });

  it('defines every resource it refers to', () => {
    const defined = new Set([...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(5);
    for (const r of used) expect(defined.has(r), r).toBe(true);
  });

  it('names icons that exist in assets/ at the sizes declared', () => {
    const images = [...xml.matchAll(/<bt:Image id="Icon\.(\d+)x\1" DefaultValue="([^"]+)"/g)];
    expect(images.map((m) => Number(m[1]))).toEqual(expect.arrayContaining([16, 32, 80]));
    const named = [
      ...images.map((m) => ({ size: Number(m[1]), url: m[2]! })),
      { size: 64, url: /<IconUrl DefaultValue="([^"]+)"/.exec(xml)![1]! },
      { size: 128, url: /<HighResolutionIconUrl DefaultValue="([^"]+)"/.exec(xml)![1]! },
    ];
    for (const { size, url } of named) {
      const file = join(repoRoot, 'assets', new URL(url).pathname.replace('/addin/assets/', ''));
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(readFileSync(file)), url).toEqual([size, size]);
    }
  });

  it('writes the unified manifest equivalent: messageSending in block mode on the same function', () => {
    expect(json.id).toBe(ID);
    const ext = json.extensions[0] as {
      requirements: { scopes: string[]; capabilities: { name: string; minVersion: string }[] };
      runtimes: {
        id: string;
        code: { page: string; script?: string };
        actions: { id: string; type: string }[];
      }[];
      ribbons: {
        contexts: string[];
        tabs: { groups: { controls: { id: string; actionId: string }[] }[] }[];
      }[];
      autoRunEvents: { events: { type: string; actionId: string; options: { sendMode: string } }[] }[];
    };
    expect(ext.requirements.scopes).toEqual(['mail']);
    expect(ext.requirements.capabilities).toEqual([{ name: 'Mailbox', minVersion: '1.12' }]);
    expect(ext.autoRunEvents[0]?.events).toEqual([
      { type: 'messageSending', actionId: ON_SEND_FUNCTION, options: { sendMode: 'block' } },
    ]);
    const commands = ext.runtimes.find((r) => r.actions.some((a) => a.id === ON_SEND_FUNCTION));
    expect(commands?.actions[0]?.type).toBe('executeFunction');
    expect(commands?.code).toEqual({
      page: `${URL_}/addin/commands.html`,
      script: `${URL_}/addin/commands.js`,
    });
    const control = ext.ribbons[0]?.tabs[0]?.groups[0]?.controls[0];
    expect(control?.id).toBe(TASKPANE_COMMAND_ID);
    const pane = ext.runtimes.find((r) => r.actions.some((a) => a.id === control?.actionId));
    expect(pane?.code.page).toBe(`${URL_}/addin/taskpane.html`);
    expect(ext.ribbons[0]?.contexts).toEqual(['mailCompose']);
    expect(json.authorization).toEqual({
      permissions: { resourceSpecific: [{ name: 'MailboxItem.ReadWrite.User', type: 'Delegated' }] },
    });
  });

  it('uses only https URLs on the given host in the unified manifest, and its icons exist at 192 and 32 px', () => {
    const urls = stringsIn(json).filter((s) => /^https?:\/\//.test(s) && !s.includes('json-schemas'));
    expect(urls.length).toBeGreaterThan(8);
    for (const u of urls) expect(new URL(u).origin, u).toBe(URL_);
    for (const u of urls.filter((x) => x.endsWith('.png'))) {
      expect(existsSync(join(repoRoot, 'assets', new URL(u).pathname.replace('/addin/assets/', ''))), u).toBe(
        true,
      );
    }
    const icons = json.icons as { color: string; outline: string };
    const color = readFileSync(join(out, icons.color));
    expect(pngSize(color)).toEqual([192, 192]);
    expect(color.equals(readFileSync(join(repoRoot, 'assets', 'icon-color-192.png')))).toBe(true);
    const outline = readFileSync(join(out, icons.outline));
    expect(pngSize(outline)).toEqual([32, 32]);
    expect(outline.equals(readFileSync(join(repoRoot, 'assets', 'icon-outline-32.png')))).toBe(true);
    expect(json.validDomains).toEqual(['addin.example.org']);
  });

  it('names the function the commands bundle registers', () => {
    const fn = attr(/<LaunchEvent [^>]*\/>/.exec(xml)![0], 'FunctionName')!;
    const { fake } = runCommandsBundle(new FakeMailbox('rep@plan.example'), fetch, {
      apiBase: URL_,
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: TASKPANE_COMMAND_ID,
    });
    expect(fake.associated(fn)).toBe(true);
  });
});

describe('secure-envelope manifest: options', () => {
  it('derives a stable id from the host when none is given', async () => {
    const a = join(mkdtempSync(join(tmpdir(), 'se-manifest-')), 'a');
    const b = join(mkdtempSync(join(tmpdir(), 'se-manifest-')), 'b');
    expect((await runCli(['manifest', '--url', 'https://mail-addin.plan.example', '--out', a])).status).toBe(
      0,
    );
    expect((await runCli(['manifest', '--url', 'https://mail-addin.plan.example', '--out', b])).status).toBe(
      0,
    );
    const idOf = (dir: string): string =>
      /<Id>([^<]+)<\/Id>/.exec(readFileSync(join(dir, 'manifest.xml'), 'utf8'))![1]!;
    expect(idOf(a)).toMatch(/^[\da-f]{8}-[\da-f]{4}-5[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
    expect(idOf(a)).toBe(idOf(b));
  });

  it('adds WebApplicationInfo for Office single sign-on with --client-id', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'se-manifest-')), 'sso');
    const clientId = '11111111-2222-4333-8444-555555555555';
    const r = await runCli(['manifest', '--url', URL_, '--client-id', clientId, '--out', dir]);
    expect(r.status).toBe(0);
    const out = readFileSync(join(dir, 'manifest.xml'), 'utf8');
    expectWellFormed(out);
    expect(out).toMatch(
      new RegExp(
        `<WebApplicationInfo>\\s*<Id>${clientId}</Id>\\s*<Resource>api://addin.example.org/${clientId}</Resource>`,
      ),
    );
    const unified = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      webApplicationInfo: unknown;
    };
    expect(unified.webApplicationInfo).toEqual({
      id: clientId,
      resource: `api://addin.example.org/${clientId}`,
    });
  });

  it.each([
    [['--url', 'http://addin.example.org', '--out', 'x'], /https only/],
    [['--url', 'https://addin.example.org/addin', '--out', 'x'], /origin only/],
    [['--url', 'not a url', '--out', 'x'], /not a URL/],
    [['--url', URL_, '--id', 'nope', '--out', 'x'], /not a GUID/],
    [['--url', URL_], /--out is required/],
    [['--out', 'x'], /--url is required/],
    [['--url', URL_, '--out', 'x', '--resource', 'api://x'], /--resource needs --client-id/],
  ])('refuses %j with exit code 2 and one line', async (args, message) => {
    const r = await runCli(['manifest', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^ +at /m);
  });
});

/** Width and height from a PNG's header chunk (IHDR), which always comes first. */
function pngSize(file: Buffer): [number, number] {
  expect(file.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(file.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [file.readUInt32BE(16), file.readUInt32BE(20)];
}
