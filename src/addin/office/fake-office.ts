/**
 * An in-memory Outlook compose window behind the Office.js surface the add-in
 * uses: the unit tests run the real wrapper and handler over it, and the
 * development harness (/dev/outlook) installs it as `Office` in its frames.
 * It keeps Outlook's rules that matter here: results arrive asynchronously
 * through callbacks, the body takes at most 1 MB, session data at most 50,000
 * characters, and requirement sets gate the newer Smart Alert options.
 */

export interface FakeAttachment {
  id: string;
  name: string;
  size: number;
  isInline: boolean;
  kind: 'file' | 'item' | 'cloud';
  base64: string;
}

export interface FakeMessage {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  bodyHtml: string;
  attachments: FakeAttachment[];
  headers: Record<string, string>;
  sessionData: Record<string, string>;
  customProperties: Record<string, string>;
}

export function emptyMessage(): FakeMessage {
  return {
    to: [],
    cc: [],
    bcc: [],
    subject: '',
    bodyHtml: '',
    attachments: [],
    headers: {},
    sessionData: {},
    customProperties: {},
  };
}

/** What `event.completed` received: the Smart Alert options. */
export interface CompletedOptions {
  allowEvent?: boolean;
  errorMessage?: string;
  errorMessageMarkdown?: string;
  sendModeOverride?: string;
  commandId?: string;
  cancelLabel?: string;
  contextData?: string;
}

type Listener = () => void;

/** The shared compose state: one per compose window, seen by every frame's `Office`. */
export class FakeMailbox {
  message: FakeMessage = emptyMessage();
  /** Methods named here fail with the given message (fault injection). */
  faults: Record<string, string> = {};
  /** Milliseconds each Office call takes before its callback, as in a real client. */
  latencyMs = 0;
  private readonly listeners = new Map<string, Listener[]>();
  private nextId = 1;

  constructor(
    readonly userAddress: string,
    /** The highest Mailbox requirement set supported, as its minor version (15 → 1.15). */
    public mailboxMinor = 15,
  ) {}

  addAttachment(a: Omit<FakeAttachment, 'id'>): string {
    const id = `att-${this.nextId++}`;
    this.message.attachments.push({ ...a, id });
    this.emit('olkAttachmentsChanged');
    return id;
  }

  setRecipients(field: 'to' | 'cc' | 'bcc', addresses: string[]): void {
    this.message[field] = addresses;
    this.emit('olkRecipientsChanged');
  }

  on(type: string, listener: Listener): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).concat(listener));
  }

  off(type: string, listener?: Listener): void {
    this.listeners.set(
      type,
      listener === undefined ? [] : (this.listeners.get(type) ?? []).filter((l) => l !== listener),
    );
  }

  emit(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l();
    for (const l of this.listeners.get('*') ?? []) l();
  }
}

interface AsyncResult {
  status: 'succeeded' | 'failed';
  value: unknown;
  error: { name: string; message: string; code: number } | undefined;
}
type Callback = (r: AsyncResult) => void;

/** A fake `Office` global over `mailbox`, plus a way to fire the send event. */
export interface FakeOffice {
  office: Record<string, unknown>;
  /** Runs the handler associated under `name` as Outlook does on Send; resolves with what it completed with. */
  fireSend(name: string): Promise<CompletedOptions>;
  /** Runs a function command (a ribbon button, or a Smart Alert's action) until it completes. */
  runFunction(name: string): Promise<void>;
  associated(name: string): boolean;
}

export function createFakeOffice(
  mailbox: FakeMailbox,
  options: { hostName?: string; ssoToken?: () => Promise<string> } = {},
): FakeOffice {
  const handlers = new Map<string, (event: { completed(o?: CompletedOptions): void }) => void>();
  const m = (): FakeMessage => mailbox.message;

  /** Calls back later with the method's result, or its injected fault. */
  function respond(method: string, cb: unknown, produce: () => unknown): void {
    const callback = (typeof cb === 'function' ? cb : () => undefined) as Callback;
    const run = (): void => {
      const fault = mailbox.faults[method];
      let result: AsyncResult;
      if (fault !== undefined) {
        result = { status: 'failed', value: undefined, error: { name: 'Fault', message: fault, code: 9000 } };
      } else {
        try {
          result = { status: 'succeeded', value: produce(), error: undefined };
        } catch (e) {
          result = {
            status: 'failed',
            value: undefined,
            error: { name: 'Error', message: e instanceof Error ? e.message : 'failed', code: 9001 },
          };
        }
      }
      callback(result);
    };
    if (mailbox.latencyMs > 0) setTimeout(run, mailbox.latencyMs);
    else void Promise.resolve().then(run);
  }

  const recipients = (field: 'to' | 'cc' | 'bcc') => ({
    getAsync: (cb: Callback) => {
      respond(`${field}.getAsync`, cb, () =>
        m()[field].map((a) => ({ emailAddress: a, displayName: a, recipientType: 'externalUser' })),
      );
    },
    setAsync: (list: string[], cb?: Callback) => {
      respond(`${field}.setAsync`, cb, () => {
        mailbox.setRecipients(field, list.slice());
      });
    },
  });

  const item = {
    itemType: 'message',
    to: recipients('to'),
    cc: recipients('cc'),
    bcc: recipients('bcc'),
    subject: {
      getAsync: (cb: Callback) => {
        respond('subject.getAsync', cb, () => m().subject);
      },
      setAsync: (value: string, cb?: Callback) => {
        respond('subject.setAsync', cb, () => {
          if (value.length > 255) throw new Error('The subject is longer than 255 characters.');
          m().subject = value;
          mailbox.emit('subject');
        });
      },
    },
    body: {
      getAsync: (coercion: string, cb: Callback) => {
        respond('body.getAsync', cb, () => {
          if (coercion === 'html') return m().bodyHtml;
          return m().bodyHtml.replace(/<[^<>]*>/g, '');
        });
      },
      prependAsync: (value: string, opts: { coercionType?: string }, cb?: Callback) => {
        respond('body.prependAsync', cb, () => {
          m().bodyHtml = (opts.coercionType === 'html' ? value : value.replace(/[<>&]/g, '')) + m().bodyHtml;
          mailbox.emit('body');
        });
      },
      setAsync: (value: string, opts: { coercionType?: string }, cb?: Callback) => {
        respond('body.setAsync', cb, () => {
          // Outlook refuses a body of more than 1,000,000 characters.
          if (value.length > 1_000_000) throw new Error('DataExceedsMaximumSize');
          m().bodyHtml = opts.coercionType === 'html' ? value : value.replace(/[<>&]/g, '');
          mailbox.emit('body');
        });
      },
    },
    getAttachmentsAsync: (cb: Callback) => {
      respond('getAttachmentsAsync', cb, () =>
        m().attachments.map((a) => ({
          id: a.id,
          name: a.name,
          size: a.size,
          isInline: a.isInline,
          attachmentType: a.kind,
        })),
      );
    },
    getAttachmentContentAsync: (id: string, cb: Callback) => {
      respond('getAttachmentContentAsync', cb, () => {
        const a = m().attachments.find((x) => x.id === id);
        if (a === undefined) throw new Error('InvalidAttachmentId');
        if (a.kind === 'cloud') return { format: 'url', content: `https://cloud.example/${a.name}` };
        if (a.kind === 'item') return { format: 'eml', content: a.base64 };
        return { format: 'base64', content: a.base64 };
      });
    },
    removeAttachmentAsync: (id: string, cb?: Callback) => {
      respond('removeAttachmentAsync', cb, () => {
        const before = m().attachments.length;
        m().attachments = m().attachments.filter((a) => a.id !== id);
        if (m().attachments.length === before) throw new Error('InvalidAttachmentId');
        mailbox.emit('olkAttachmentsChanged');
      });
    },
    internetHeaders: {
      setAsync: (headers: Record<string, string>, cb?: Callback) => {
        respond('internetHeaders.setAsync', cb, () => {
          Object.assign(m().headers, headers);
        });
      },
      getAsync: (names: string[], cb: Callback) => {
        respond('internetHeaders.getAsync', cb, () => {
          const out: Record<string, string> = {};
          for (const n of names) {
            const v = m().headers[n];
            if (v !== undefined) out[n] = v;
          }
          return out;
        });
      },
    },
    sessionData: {
      getAsync: (key: string, cb: Callback) => {
        respond('sessionData.getAsync', cb, () => {
          const v = m().sessionData[key];
          if (v === undefined) throw new Error('KeyNotFound');
          return v;
        });
      },
      setAsync: (key: string, value: string, cb?: Callback) => {
        respond('sessionData.setAsync', cb, () => {
          const next = { ...m().sessionData, [key]: value };
          const size = Object.keys(next).reduce((n, k) => n + k.length + (next[k] ?? '').length, 0);
          if (size > 50_000) throw new Error('SessionObjectMaxLengthExceeded');
          m().sessionData = next;
        });
      },
    },
    loadCustomPropertiesAsync: (cb: Callback) => {
      respond('loadCustomPropertiesAsync', cb, () => {
        // Edits stay local until saveAsync, as in Outlook.
        const local = { ...m().customProperties };
        return {
          get: (k: string) => local[k],
          set: (k: string, v: string) => {
            local[k] = v;
          },
          remove: (k: string) => {
            // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a property bag by design
            delete local[k];
          },
          saveAsync: (save?: Callback) => {
            respond('customProperties.saveAsync', save, () => {
              m().customProperties = { ...local };
              mailbox.emit('customProperties');
            });
          },
        };
      });
    },
    addHandlerAsync: (type: string, handler: Listener, cb?: Callback) => {
      respond('addHandlerAsync', cb, () => {
        mailbox.on(type, handler);
      });
    },
    removeHandlerAsync: (type: string, cb?: Callback) => {
      respond('removeHandlerAsync', cb, () => {
        mailbox.off(type);
      });
    },
  };

  const office: Record<string, unknown> = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Html: 'html', Text: 'text' },
    EventType: { RecipientsChanged: 'olkRecipientsChanged', AttachmentsChanged: 'olkAttachmentsChanged' },
    MailboxEnums: {
      SendModeOverride: { PromptUser: 'promptUser' },
      AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud' },
      AttachmentContentFormat: { Base64: 'base64', Url: 'url', Eml: 'eml', ICalendar: 'iCalendar' },
    },
    context: {
      mailbox: {
        item,
        userProfile: { emailAddress: mailbox.userAddress, displayName: mailbox.userAddress },
        diagnostics: { hostName: options.hostName ?? 'Secure Envelope harness', hostVersion: '1.0' },
      },
      requirements: {
        isSetSupported: (name: string, version?: string) => {
          if (name !== 'Mailbox') return false;
          const minor = Number((version ?? '1.1').split('.')[1] ?? '0');
          return minor <= mailbox.mailboxMinor;
        },
      },
    },
    auth: {
      getAccessToken: () =>
        options.ssoToken !== undefined
          ? options.ssoToken()
          : Promise.reject(new Error('13003: single sign-on is not declared by this manifest')),
    },
    actions: {
      associate: (name: string, fn: (event: { completed(o?: CompletedOptions): void }) => void) => {
        handlers.set(name, fn);
      },
    },
    onReady: () => Promise.resolve({ host: 'Outlook', platform: 'OfficeOnline' }),
  };

  return {
    office,
    associated: (name) => handlers.has(name),
    runFunction: (name) =>
      new Promise<void>((resolve, reject) => {
        const handler = handlers.get(name);
        if (handler === undefined) {
          reject(new Error(`no function is associated under ${name}`));
          return;
        }
        handler({
          completed: () => {
            resolve();
          },
        });
      }),
    fireSend: (name) =>
      new Promise<CompletedOptions>((resolve, reject) => {
        const handler = handlers.get(name);
        if (handler === undefined) {
          reject(new Error(`no handler is associated under ${name}`));
          return;
        }
        let calls = 0;
        handler({
          completed: (o?: CompletedOptions) => {
            calls++;
            // Outlook ignores a second completion; a correct handler never makes one.
            if (calls > 1) throw new Error('event.completed was called more than once');
            resolve({ ...o });
          },
        });
      }),
  };
}
