import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config';
import { signal, spawnServer } from './helpers/process';

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'se-config-')), 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const production = {
  SECURE_ENVELOPE_MODE: 'production',
  SMTP_URL: 'smtp://relay.plan.example:587',
  PUBLIC_URL: 'https://secure.plan.example',
  SECURE_ENVELOPE_TLS: 'off',
};
const productionAuth = {
  auth: {
    devIssuer: false,
    issuers: ['https://login.microsoftonline.com/0b0c/v2.0'],
    audience: 'api://secure-envelope',
    tenants: ['0b0c'],
    jwksUrl: 'https://login.microsoftonline.com/0b0c/discovery/v2.0/keys',
  },
};

describe('loadConfig', () => {
  it('runs with embedded defaults and no setup', () => {
    const c = loadConfig({}, '');
    expect(c).toMatchObject({ mode: 'development', port: 3000, dataDir: './data', tls: 'local-certificate' });
    expect(c.publicUrl).toBe('https://localhost:3000');
    expect(c.auth.devIssuer).toBe(true);
    expect(c.limits).toEqual({
      bodyBytes: 1048576,
      attachmentBytes: 26214400,
      totalBytes: 36700160,
      requestsPerMinute: 600,
    });
  });

  it('takes the environment over the file', () => {
    const file = configFile({ port: 4000, org: { name: 'Desert Health' } });
    const c = loadConfig({ PORT: '5000', DATA_DIR: '/srv/se', DATABASE_URL: 'postgres://db/se' }, file);
    expect(c).toMatchObject({ port: 5000, dataDir: '/srv/se', databaseUrl: 'postgres://db/se' });
    expect(c.org.name).toBe('Desert Health');
  });

  it.each([
    [{ portt: 1 }, "invalid configuration: (top level): unknown key 'portt'"],
    [{ org: { nmae: 'x' } }, "invalid configuration: org: unknown key 'nmae'"],
    [{ publicUrl: 'not a url' }, 'invalid configuration: publicUrl: must be a URL'],
    [{ smtpUrl: 'http://relay' }, 'invalid configuration: smtpUrl: must be an smtp:// or smtps:// URL'],
    [{ port: 70000 }, 'invalid configuration: port:'],
  ])('stops on %j naming the key', (content, message) => {
    expect(() => loadConfig({}, configFile(content))).toThrow(message);
  });

  it('names an unreadable or malformed file', () => {
    expect(() => loadConfig({}, '/nonexistent/config.json')).toThrow(
      /cannot read config file '\/nonexistent\/config.json'/,
    );
    expect(() => loadConfig({}, configFile('{"port": '))).toThrow(ConfigError);
  });

  it('refuses the development issuer in production', () => {
    expect(() => loadConfig(production, configFile({ auth: { devIssuer: true } }))).toThrow(
      'invalid configuration for production: auth.devIssuer',
    );
  });

  it('refuses the mail catcher in production', () => {
    const env = { ...production, SMTP_URL: undefined };
    expect(() => loadConfig(env, configFile(productionAuth))).toThrow(
      'invalid configuration for production: smtpUrl',
    );
  });

  it('selects production from NODE_ENV as well', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, '')).toThrow(/for production/);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig(production, configFile(productionAuth));
    expect(c.mode).toBe('production');
    expect(c.publicUrl).toBe('https://secure.plan.example');
  });
});

describe('development parts stay on this machine', () => {
  it('refuses to serve the development issuer beyond loopback', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' }, '')).toThrow(/listens on loopback only/);
  });

  it('refuses the development issuer beside a real identity provider', () => {
    const file = configFile({
      auth: { jwksUrl: 'https://login.microsoftonline.com/0b0c/discovery/v2.0/keys' },
    });
    expect(() => loadConfig({}, file)).toThrow(/turn the development issuer off/);
  });

  it('requires a public address and a real certificate in production', () => {
    const env = { ...production, PUBLIC_URL: undefined, SECURE_ENVELOPE_TLS: 'off' };
    expect(() => loadConfig(env, configFile(productionAuth))).toThrow(/publicUrl: PUBLIC_URL is required/);
    const local = { ...production, SECURE_ENVELOPE_TLS: 'local-certificate' };
    expect(() => loadConfig(local, configFile(productionAuth))).toThrow(/for production: tls/);
  });
});

describe('production refuses settings that only tests may use', () => {
  it('refuses SECURE_ENVELOPE_ALLOW_PRIVATE_MX, naming the setting', () => {
    for (const value of ['1', 'true']) {
      const env = { ...production, SECURE_ENVELOPE_ALLOW_PRIVATE_MX: value };
      expect(() => loadConfig(env, configFile(productionAuth))).toThrow(
        /^invalid configuration for production: tlsCheck\.allowPrivateMx: SECURE_ENVELOPE_ALLOW_PRIVATE_MX .*unset it/,
      );
    }
    const fromFile = configFile({ ...productionAuth, tlsCheck: { allowPrivateMx: true } });
    expect(() => loadConfig(production, fromFile)).toThrow(/tlsCheck\.allowPrivateMx/);
    // Off, it is fine.
    const off = { ...production, SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '0' };
    expect(loadConfig(off, configFile(productionAuth)).tlsCheck.allowPrivateMx).toBe(false);
  });

  it('refuses an http:// PUBLIC_URL when the server serves TLS from files', () => {
    const files = configFile({
      ...productionAuth,
      tlsCertFile: '/etc/se/cert.pem',
      tlsKeyFile: '/etc/se/key.pem',
    });
    const env = { ...production, SECURE_ENVELOPE_TLS: 'files', PUBLIC_URL: 'http://secure.plan.example' };
    expect(() => loadConfig(env, files)).toThrow(
      'invalid configuration for production: publicUrl: PUBLIC_URL must be https://',
    );
    expect(() => loadConfig(env, files)).toThrow('got http://secure.plan.example');
    const https = { ...env, PUBLIC_URL: 'https://secure.plan.example' };
    expect(loadConfig(https, files).tls).toBe('files');
  });

  it('refuses them when the server is started, not only when the file is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-config-serve-'));
    const config = configFile({ ...productionAuth, limits: { requestsPerMinute: 1_000_000 } });
    let outcome = 'started';
    try {
      // Stopped at once if it comes up: it must not.
      const server = await spawnServer({
        ...production,
        SECURE_ENVELOPE_CONFIG: config,
        DATA_DIR: dir,
        SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
      });
      signal(server, 'SIGKILL');
      await server.exited;
    } catch (e) {
      outcome = e instanceof Error ? e.message : String(e);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(outcome).toContain('it exited');
    expect(outcome).toContain('tlsCheck.allowPrivateMx: SECURE_ENVELOPE_ALLOW_PRIVATE_MX');
  }, 30_000);
});

describe('TLS-check budgets', () => {
  it('keeps one sender’s probe budget below everyone’s', () => {
    for (const tlsCheck of [
      { clientProbesPerMinute: 3000 },
      { clientProbesPerMinute: 50, globalProbesPerMinute: 50 },
      { clientProbesPerMinute: 100, globalProbesPerMinute: 20 },
    ]) {
      expect(() => loadConfig({}, configFile({ tlsCheck }))).toThrow(
        'invalid configuration: tlsCheck.clientProbesPerMinute: must be below tlsCheck.globalProbesPerMinute',
      );
    }
    expect(
      loadConfig({}, configFile({ tlsCheck: { clientProbesPerMinute: 49, globalProbesPerMinute: 50 } }))
        .tlsCheck,
    ).toMatchObject({ clientProbesPerMinute: 49, globalProbesPerMinute: 50 });
  });
});
