/**
 * JSON over fetch with a deadline. Outlook gives the whole on-send decision
 * about five seconds, so no call may wait longer than the time left; a call
 * that cannot finish in time fails as `timeout`, which callers treat like an
 * unreachable server.
 */

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export class HttpFailure extends Error {
  constructor(
    /** unreachable: no answer at all; timeout: no answer in time; status: an error answer. */
    readonly kind: 'unreachable' | 'timeout' | 'status',
    readonly status: number,
    /** The API's stable error code, when it sent one. */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface JsonResponse<T> {
  status: number;
  body: T;
}

export async function requestJson<T>(
  fetchFn: FetchLike,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<JsonResponse<T>> {
  if (options.timeoutMs <= 0) throw new HttpFailure('timeout', 0, null, 'no time left to ask the server');
  // AbortController is missing from some older runtimes; the timer alone still bounds the wait.
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new HttpFailure('timeout', 0, null, 'the server did not answer in time'));
    }, options.timeoutMs);
  });
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const init: Parameters<FetchLike>[1] = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (controller !== null) init.signal = controller.signal;
  try {
    const exchange = (async () => {
      let response;
      try {
        response = await fetchFn(url, init);
      } catch {
        throw new HttpFailure('unreachable', 0, null, 'the server could not be reached');
      }
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = null;
      }
      if (response.status >= 400) {
        const error = body as { code?: unknown; message?: unknown } | null;
        throw new HttpFailure(
          'status',
          response.status,
          typeof error?.code === 'string' ? error.code : null,
          typeof error?.message === 'string' ? error.message : `the server answered ${response.status}`,
        );
      }
      return { status: response.status, body: body as T };
    })();
    return await Promise.race([exchange, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
