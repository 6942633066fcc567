import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from './config';

export interface TlsFiles {
  cert: string;
  key: string;
  /** Where the certificate came from, for the start-up banner. */
  source: string;
}

/**
 * The certificate the server presents. Outlook loads add-in files only over
 * HTTPS, so development serves HTTPS too: the certificate that
 * office-addin-dev-certs installed and trusted, when there is one, otherwise a
 * self-signed localhost certificate kept in the data folder (trust it once in
 * the browser, or install the dev certificates). Plain HTTP only when
 * configured (`tls: "off"`, e.g. behind a TLS-terminating proxy).
 */
export async function loadTls(config: Config): Promise<TlsFiles | undefined> {
  if (config.tls === 'off') return undefined;
  if (config.tls === 'files') {
    if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) {
      throw new Error('invalid configuration: tlsCertFile and tlsKeyFile are required when tls is "files"');
    }
    return {
      cert: readFileSync(config.tlsCertFile, 'utf8'),
      key: readFileSync(config.tlsKeyFile, 'utf8'),
      source: config.tlsCertFile,
    };
  }
  const devCerts = join(homedir(), '.office-addin-dev-certs');
  if (existsSync(join(devCerts, 'localhost.crt')) && existsSync(join(devCerts, 'localhost.key'))) {
    return {
      cert: readFileSync(join(devCerts, 'localhost.crt'), 'utf8'),
      key: readFileSync(join(devCerts, 'localhost.key'), 'utf8'),
      source: `${devCerts} (office-addin-dev-certs)`,
    };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'localhost.crt');
  const keyFile = join(dir, 'localhost.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 365 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    writeFileSync(certFile, pems.cert, { mode: 0o644 });
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
  }
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    source: `${certFile} (self-signed)`,
  };
}
