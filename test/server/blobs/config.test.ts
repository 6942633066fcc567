import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/server/config';

const dir = mkdtempSync(join(tmpdir(), 'se-blobs-config-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** The configuration from these variables and, when given, a config file holding `file`. */
function load(env: NodeJS.ProcessEnv, file?: Record<string, unknown>) {
  let path = '';
  if (file !== undefined) {
    path = join(dir, `config-${++files}.json`);
    writeFileSync(path, JSON.stringify(file));
  }
  return loadConfig({ DATA_DIR: dir, ...env }, path);
}

function failure(env: NodeJS.ProcessEnv, file?: Record<string, unknown>): string {
  try {
    load(env, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('the blobs section of the configuration', () => {
  it('is the file store by default', () => {
    expect(load({}).blobs).toEqual({ kind: 'fs' });
  });

  it('reads the S3 settings from the environment, with defaults for the rest', () => {
    expect(load({ BLOB_STORE: 's3', S3_BUCKET: 'plan-attachments' }).blobs).toEqual({
      kind: 's3',
      s3: { bucket: 'plan-attachments', region: 'us-east-1', prefix: '', forcePathStyle: false },
    });
    expect(
      load({
        BLOB_STORE: 's3',
        S3_ENDPOINT: 'https://minio.plan.example:9000',
        S3_BUCKET: 'plan-attachments',
        S3_REGION: 'eu-west-1',
        S3_PREFIX: 'secure-envelope/blobs/',
        S3_FORCE_PATH_STYLE: 'true',
      }).blobs,
    ).toEqual({
      kind: 's3',
      s3: {
        endpoint: 'https://minio.plan.example:9000',
        bucket: 'plan-attachments',
        region: 'eu-west-1',
        prefix: 'secure-envelope/blobs/',
        forcePathStyle: true,
      },
    });
  });

  it('reads them from the file too, the environment winning', () => {
    const config = load(
      { S3_BUCKET: 'from-env' },
      {
        blobs: {
          kind: 's3',
          s3: {
            bucket: 'from-file',
            forcePathStyle: true,
            accessKeyId: 'AKIAFILE',
            secretAccessKey: 'file-secret',
          },
        },
      },
    );
    expect(config.blobs.s3).toMatchObject({
      bucket: 'from-env',
      forcePathStyle: true,
      accessKeyId: 'AKIAFILE',
      secretAccessKey: 'file-secret',
    });
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['TRUE', true],
    ['0', false],
    ['false', false],
    ['no', false],
  ])('reads S3_FORCE_PATH_STYLE=%s as %s', (value, expected) => {
    const config = load({ BLOB_STORE: 's3', S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: value });
    expect(config.blobs.s3?.forcePathStyle).toBe(expected);
  });

  it('refuses kind s3 without a bucket, naming the setting', () => {
    expect(failure({ BLOB_STORE: 's3' })).toBe(
      'invalid configuration: blobs.s3.bucket: required with blobs.kind "s3" (S3_BUCKET)',
    );
    expect(failure({ BLOB_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000' })).toBe(
      'invalid configuration: blobs.s3.bucket: required with blobs.kind "s3" (S3_BUCKET)',
    );
  });

  it.each([
    [{ BLOB_STORE: 'gcs' }, /^invalid configuration: blobs\.kind: /],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'b/c' },
      /^invalid configuration: blobs\.s3\.bucket: must be a bucket name/,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_ENDPOINT: 'ftp://files.plan.example' },
      /^invalid configuration: blobs\.s3\.endpoint: must be an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_ENDPOINT: 'not a url' },
      /^invalid configuration: blobs\.s3\.endpoint: /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_REGION: 'eu west' },
      /^invalid configuration: blobs\.s3\.region: /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_PREFIX: '/abs/' },
      /^invalid configuration: blobs\.s3\.prefix: /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_PREFIX: 'a b/' },
      /^invalid configuration: blobs\.s3\.prefix: /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'bkt', S3_FORCE_PATH_STYLE: 'maybe' },
      /^invalid configuration: blobs\.s3\.forcePathStyle: /,
    ],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(failure(env)).toMatch(message);
  });

  it('refuses unknown keys in the section', () => {
    expect(failure({}, { blobs: { kind: 'fs', bucket: 'x' } })).toBe(
      "invalid configuration: blobs: unknown key 'bucket'",
    );
    expect(failure({}, { blobs: { kind: 's3', s3: { bucket: 'bkt', sse: 'aws:kms' } } })).toBe(
      "invalid configuration: blobs.s3: unknown key 'sse'",
    );
  });

  it('takes credentials in pairs only, and never repeats them in the message', () => {
    const message = failure(
      {},
      { blobs: { kind: 's3', s3: { bucket: 'bkt', accessKeyId: 'AKIAONLYHALF' } } },
    );
    expect(message).toBe(
      'invalid configuration: blobs.s3.secretAccessKey: accessKeyId and secretAccessKey go together: set both or neither',
    );
    expect(message).not.toContain('AKIAONLYHALF');
    const empty = failure(
      {},
      { blobs: { kind: 's3', s3: { bucket: 'bkt', accessKeyId: 'AKIAEMPTYSECRET', secretAccessKey: '' } } },
    );
    expect(empty).toMatch(/^invalid configuration: blobs\.s3\.secretAccessKey: /);
    expect(empty).not.toContain('AKIAEMPTYSECRET');
  });
});
