import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser } from 'acorn';
import { describe, expect, it } from 'vitest';
import {
  ON_SEND_FUNCTION,
  SEND_SECURELY_COMMAND_ID,
  SEND_SECURELY_FUNCTION,
} from '../../src/addin/core/config';
import { SEND_SECURELY_PROPERTY } from '../../src/addin/core/on-send';
import { FakeMailbox } from '../../src/addin/office/fake-office';
import { commandsSource, runCommandsBundle } from './bundle-runtime';

describe('dist/commands.js: one ES2016 script for the JavaScript-only runtime', () => {
  it('parses as ES2016 (no async functions, spread in objects, optional chaining, lookbehind, named groups, s or \\p{})', () => {
    // acorn checks regular-expression literals against the same edition as the syntax.
    expect(() => Parser.parse(commandsSource(), { ecmaVersion: 2016, sourceType: 'script' })).not.toThrow();
  });

  it('the ES2016 check would catch what must not be there', () => {
    for (const bad of [
      'async function f() {}',
      'var o = { ...a };',
      'var v = a?.b;',
      'var r = /(?<=a)b/;',
      'var r = /(?<n>a)/;',
      'var r = /a.b/s;',
      'var r = /\\p{L}/u;',
      'try {} catch {}',
    ]) {
      expect(() => Parser.parse(bad, { ecmaVersion: 2016, sourceType: 'script' }), bad).toThrow();
    }
  });

  it('builds no regular expression at run time with flags ES2016 lacks', () => {
    const flags = [...commandsSource().matchAll(/new RegExp\([^)]*,\s*["']([a-z]*)["']\)/g)].map(
      (m) => m[1]!,
    );
    for (const f of flags) expect(f).not.toMatch(/[suyd]/);
  });

  it('has no imports, no React and no DOM access', () => {
    const src = commandsSource();
    expect(src).not.toMatch(/\bimport\s*\(|\brequire\(/);
    // React's names, not words that merely contain them ("allergic reaction" is a health term).
    expect(src).not.toMatch(/\bReact\b|createElement|__SECRET_INTERNALS/);
    // "word/document.xml" is a part name inside Word files, not the DOM.
    expect(src).not.toMatch(/\bdocument\.(?!xml)|\blocalStorage\b|\bwindow\./);
  });

  it('runs in a bare context, associates the manifest function at load, and decides a send', async () => {
    const mailbox = new FakeMailbox('rep@plan.example');
    mailbox.message.to = ['colleague@plan.example'];
    mailbox.message.bodyHtml = '<p>SSN 536-22-1874</p>';
    const fetchFn = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
    const { fake, globals } = runCommandsBundle(mailbox, fetchFn, {
      apiBase: 'https://addin.example.org',
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: 'msgComposeOpenPaneButton',
    });
    expect(globals.window).toBeUndefined();
    expect(fake.associated(ON_SEND_FUNCTION)).toBe(true);
    // Internal recipient, server unreachable: the built-in policy lets it go.
    expect(await fake.fireSend(ON_SEND_FUNCTION)).toEqual({ allowEvent: true });
    mailbox.message.to = ['desk@clinic.example'];
    const blocked = await fake.fireSend(ON_SEND_FUNCTION);
    expect(blocked.allowEvent).toBe(false);
    expect(blocked.errorMessage).toContain('SSN');
  });

  it('associates the manifest\'s "Send securely" function, which turns Send securely on for the draft', async () => {
    const mailbox = new FakeMailbox('rep@plan.example');
    const fetchFn = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
    const { fake } = runCommandsBundle(mailbox, fetchFn, {
      apiBase: 'https://addin.example.org',
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: 'msgComposeOpenPaneButton',
    });
    // The manifest's control runs the function the bundle associates.
    const manifest = readFileSync(resolve(import.meta.dirname, '../../manifest.xml'), 'utf8');
    const control = new RegExp(
      `id="${SEND_SECURELY_COMMAND_ID}"[\\s\\S]*?<FunctionName>([^<]+)</FunctionName>`,
    ).exec(manifest);
    expect(control?.[1]).toBe(SEND_SECURELY_FUNCTION);
    expect(fake.associated(SEND_SECURELY_FUNCTION)).toBe(true);
    expect(mailbox.message.customProperties[SEND_SECURELY_PROPERTY]).toBeUndefined();
    await fake.runFunction(SEND_SECURELY_FUNCTION);
    expect(mailbox.message.customProperties[SEND_SECURELY_PROPERTY]).toBe('1');
  });

  it('reads a spreadsheet attachment in the bare runtime: an SSN in roster.xlsx blocks the send', async () => {
    const mailbox = new FakeMailbox('rep@plan.example');
    mailbox.message.to = ['desk@clinic.example'];
    mailbox.message.bodyHtml = '<p>Roster attached.</p>';
    const xlsx = readFileSync(resolve(import.meta.dirname, '../extract/fixtures/roster.xlsx'));
    mailbox.addAttachment({
      name: 'roster.xlsx',
      size: xlsx.length,
      isInline: false,
      kind: 'file',
      base64: xlsx.toString('base64'),
    });
    const fetchFn = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
    const { fake } = runCommandsBundle(mailbox, fetchFn, {
      apiBase: 'https://addin.example.org',
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: 'msgComposeOpenPaneButton',
    });
    const blocked = await fake.fireSend(ON_SEND_FUNCTION);
    expect(blocked.allowEvent).toBe(false);
    expect(blocked.errorMessage).toContain('SSN');
  });
});
