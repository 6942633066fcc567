/**
 * Blobs in an S3 bucket (AWS, or any S3-compatible service), one object a
 * blob under `<prefix><key>`, so every instance of the server reads what any
 * other wrote.
 *
 * The objects are our own ciphertext (chunked AES-256-GCM, authenticated), so
 * nothing here asks for server-side encryption or relies on it: a bucket
 * that adds its own is welcome, one that does not holds only ciphertext.
 *
 * A put streams: the body goes up in parts of PART_SIZE (a multipart upload
 * once it is larger than one part), at most PARTS_IN_FLIGHT parts at a time,
 * so a 25 MB attachment is never held whole here. The object appears whole
 * when the upload completes, replacing any earlier one at once; a put that
 * fails leaves the earlier blob as it was and aborts its upload, so no part
 * of it is ever read (a bucket should still expire incomplete uploads, for
 * the abort that cannot get through).
 *
 * The SDK takes half a second to load: it loads on first use, so a server on
 * the file store, and every CLI command, never pays for it.
 */
import { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Storage from '@aws-sdk/lib-storage';
import { ConfigError } from '../config';
import { assertBlobKey, BlobNotFoundError, type BlobStore } from './blob-store';

/** S3's smallest part: the memory a put may hold per part in flight. */
const PART_SIZE = 5 * 1024 * 1024;
/** Two parts on the wire keep the pipe full without holding more than about three parts at once. */
const PARTS_IN_FLIGHT = 2;

/**
 * Time limits of each request (the SDK retries those that time out, with
 * backoff, up to MAX_ATTEMPTS). The request limit covers sending a part and
 * the answer's headers; a download's body is bounded by the socket's
 * inactivity limit instead, so a large file read by a slow recipient is not
 * cut off while bytes still flow.
 */
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;
const SOCKET_IDLE_TIMEOUT_MS = 60_000;
/** The first try and two retries, the SDK's "standard" mode (exponential backoff with jitter). */
const MAX_ATTEMPTS = 3;

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** Unset: AWS itself. */
  endpoint?: string | undefined;
  /** Put before every key as it is. */
  prefix?: string | undefined;
  forcePathStyle?: boolean | undefined;
  /** Unset: the SDK's default chain (environment, shared profiles, container or instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

interface Sdk {
  s3: typeof S3;
  Upload: typeof Storage.Upload;
  client: S3.S3Client;
}

export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  private sdk: Promise<Sdk> | undefined;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
  }

  async put(key: string, data: AsyncIterable<Uint8Array> | Uint8Array): Promise<number> {
    const objectKey = this.objectKey(key);
    const { s3, client, Upload } = await this.load();
    let bytes = 0;
    let body: Uint8Array | Readable;
    if (data instanceof Uint8Array) {
      body = data;
      bytes = data.length;
    } else {
      // Counted as the upload reads it: the source's length is not known before.
      body = Readable.from(
        (async function* counted() {
          for await (const chunk of data) {
            bytes += chunk.length;
            yield chunk;
          }
        })(),
      );
    }
    const upload = new Upload({
      client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: body,
        ContentType: 'application/octet-stream',
      },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      // Aborted below instead, so that a failed abort never hides why the put failed.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (e) {
      // The parts of a failed upload never become an object; aborting frees them now rather than
      // when the bucket's lifecycle rule for incomplete uploads comes round.
      if (upload.uploadId !== undefined) {
        await client
          .send(
            new s3.AbortMultipartUploadCommand({
              Bucket: this.bucket,
              Key: objectKey,
              UploadId: upload.uploadId,
            }),
          )
          .catch(() => undefined);
      }
      throw e;
    } finally {
      // Ends the source too (an upload that failed on the S3 side stops reading it halfway).
      if (body instanceof Readable) body.destroy();
    }
    return bytes;
  }

  get(key: string): AsyncIterable<Uint8Array> {
    // Checked now, not on first read: a bad key is the caller's bug and should surface at the call.
    const objectKey = this.objectKey(key);
    return this.read(key, objectKey);
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    const { s3, client } = await this.load();
    try {
      // S3 answers 204 for a key that is not there; some compatible services answer 404.
      await client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (e) {
      if (isMissingObject(e)) return;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    const objectKey = this.objectKey(key);
    const { s3, client } = await this.load();
    try {
      await client.send(new s3.HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return true;
    } catch (e) {
      // Without s3:ListBucket on the bucket, S3 answers 403 for a missing key: that stays an error.
      if (isMissingObject(e)) return false;
      throw e;
    }
  }

  /**
   * Asks once whether the bucket is there and these credentials may use it
   * (HeadBucket), so a wrong bucket, endpoint, region or key stops the server
   * at start with a message naming the setting, not at the first upload.
   * Messages never carry credentials.
   */
  async check(): Promise<void> {
    const where = `S3 bucket '${this.bucket}' at ${this.options.endpoint ?? `AWS (${this.options.region})`}`;
    const { s3, client } = await this.load();
    try {
      await client.send(new s3.HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      const status = statusOf(e);
      const fail = (key: string, why: string): never => {
        throw new ConfigError(`invalid configuration: ${key}: ${why}`);
      };
      if (status === 404 || nameOf(e) === 'NoSuchBucket' || nameOf(e) === 'NotFound')
        fail('blobs.s3.bucket', `${where} does not exist: check S3_BUCKET (and S3_ENDPOINT)`);
      if (status === 301 || status === 400)
        fail(
          'blobs.s3.region',
          `${where} answered ${status}, which S3 says for a bucket in another region: check S3_REGION`,
        );
      if (status === 401 || status === 403)
        fail(
          'blobs.s3',
          `${where} refused these credentials (${status}): check them, and that they may list, read, ` +
            'write and delete in the bucket',
        );
      if (nameOf(e) === 'CredentialsProviderError')
        fail(
          'blobs.s3.accessKeyId',
          `no credentials for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role ` +
            '(or accessKeyId and secretAccessKey in the config file)',
        );
      const reason = e instanceof Error ? e.message : String(e);
      fail(
        'blobs.s3.endpoint',
        `cannot reach ${where}${status !== undefined ? ` (answered ${status})` : ''}: ${reason}`,
      );
    }
  }

  /** Closes the client's connections (tests and tools that make many stores). */
  async close(): Promise<void> {
    if (this.sdk === undefined) return;
    const { client } = await this.sdk;
    client.destroy();
  }

  private objectKey(key: string): string {
    assertBlobKey(key);
    return this.prefix + key;
  }

  private async *read(key: string, objectKey: string): AsyncGenerator<Uint8Array> {
    const { s3, client } = await this.load();
    let body;
    try {
      body = (await client.send(new s3.GetObjectCommand({ Bucket: this.bucket, Key: objectKey }))).Body;
    } catch (e) {
      if (isMissingObject(e)) throw new BlobNotFoundError(key);
      throw e;
    }
    if (!(body instanceof Readable)) throw new Error(`S3 answered no body for blob '${key}'`);
    // Leaving the loop early (the reader went away) destroys the body, which frees the connection.
    for await (const chunk of body as AsyncIterable<Uint8Array>) yield chunk;
  }

  private load(): Promise<Sdk> {
    this.sdk ??= (async () => {
      const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
      const { endpoint, region, forcePathStyle, credentials } = this.options;
      const client = new s3.S3Client({
        region,
        ...(endpoint !== undefined ? { endpoint } : {}),
        forcePathStyle: forcePathStyle ?? false,
        ...(credentials !== undefined ? { credentials } : {}),
        maxAttempts: MAX_ATTEMPTS,
        retryMode: 'standard',
        requestHandler: {
          connectionTimeout: CONNECT_TIMEOUT_MS,
          requestTimeout: REQUEST_TIMEOUT_MS,
          // Without it the SDK only warns when a request runs past its limit.
          throwOnRequestTimeout: true,
          socketTimeout: SOCKET_IDLE_TIMEOUT_MS,
        },
      });
      return { s3, Upload: storage.Upload, client };
    })();
    return this.sdk;
  }
}

function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || !('$metadata' in e)) return undefined;
  const metadata = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

function nameOf(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined;
}

/** The key is not there: NoSuchKey from GET, a bare 404 from HEAD (which has no body to name it). */
function isMissingObject(e: unknown): boolean {
  const name = nameOf(e);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  // A missing bucket is a 404 too, but not a missing blob: that is the deployment's fault.
  return statusOf(e) === 404 && name !== 'NoSuchBucket';
}
