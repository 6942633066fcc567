/**
 * The only module that touches Office.js: promise wrappers around the
 * callback API, and the degradation of a Smart Alert to what the client
 * supports. Office is read when called, never at import, so the same code
 * runs over the real Office.js, the development harness and the tests' fake.
 */
import type { AttachmentInfo, ComposeItem, MailHost, Recipients, SendCompletion, SendEvent } from './types';

export type * from './types';

function office(): typeof Office {
  if (typeof Office === 'undefined') throw new Error('Office.js is not loaded');
  return Office;
}

/** Turns one Office callback call into a promise that rejects with Office's own error message. */
function call<T>(start: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((result) => {
      if (result.status === office().AsyncResultStatus.Succeeded) resolve(result.value);
      else reject(new Error(result.error.message || 'Outlook could not do that'));
    });
  });
}

/** The same for calls whose only result is success or failure. */
function act(start: (callback: (result: Office.AsyncResult<unknown>) => void) => void): Promise<undefined> {
  return call<unknown>(start).then(() => undefined);
}

function addresses(details: Office.EmailAddressDetails[]): string[] {
  return details.map((d) => d.emailAddress.trim().toLowerCase()).filter((a) => a !== '');
}

function kindOf(type: string): AttachmentInfo['kind'] {
  return type === 'file' ? 'file' : type === 'item' ? 'item' : 'cloud';
}

function composeItem(item: Office.MessageCompose): ComposeItem {
  const html = office().CoercionType.Html;
  let props: Promise<Office.CustomProperties> | undefined;
  const customProperties = (): Promise<Office.CustomProperties> =>
    (props ??= call<Office.CustomProperties>((cb) => {
      item.loadCustomPropertiesAsync(cb);
    }));
  return {
    async getRecipients(): Promise<Recipients> {
      const [to, cc, bcc] = await Promise.all(
        [item.to, item.cc, item.bcc].map((r) =>
          call<Office.EmailAddressDetails[]>((cb) => {
            r.getAsync(cb);
          }),
        ),
      );
      return { to: addresses(to ?? []), cc: addresses(cc ?? []), bcc: addresses(bcc ?? []) };
    },
    getSubject: () =>
      call<string>((cb) => {
        item.subject.getAsync(cb);
      }),
    getBodyHtml: () =>
      call<string>((cb) => {
        item.body.getAsync(html, cb);
      }),
    async getAttachments(): Promise<AttachmentInfo[]> {
      const list = await call<Office.AttachmentDetailsCompose[]>((cb) => {
        item.getAttachmentsAsync(cb);
      });
      return list.map((a) => ({
        id: a.id,
        name: a.name,
        // Compose details carry no content type; the name says enough for scanning.
        contentType: '',
        size: a.size,
        isInline: a.isInline,
        kind: kindOf(a.attachmentType),
      }));
    },
    async getAttachmentBase64(id: string): Promise<string | null> {
      const content = await call<Office.AttachmentContent>((cb) => {
        item.getAttachmentContentAsync(id, cb);
      });
      return content.format === 'base64' ? content.content : null;
    },
    async setRecipients(r: Recipients): Promise<void> {
      // One field after another: the caller reads them back before relying on them.
      for (const [field, list] of [
        [item.to, r.to],
        [item.cc, r.cc],
        [item.bcc, r.bcc],
      ] as const) {
        await act((cb) => {
          field.setAsync(list, cb);
        });
      }
    },
    prependBodyHtml: (value: string) =>
      act((cb) => {
        item.body.prependAsync(value, { coercionType: html }, cb);
      }),
    setBodyHtml: (value: string) =>
      act((cb) => {
        item.body.setAsync(value, { coercionType: html }, cb);
      }),
    setSubject: (value: string) =>
      act((cb) => {
        item.subject.setAsync(value, cb);
      }),
    removeAttachment: (id: string) =>
      act((cb) => {
        item.removeAttachmentAsync(id, cb);
      }),
    setInternetHeaders: (headers: Record<string, string>) =>
      act((cb) => {
        item.internetHeaders.setAsync(headers, cb);
      }),
    async getInternetHeader(name: string): Promise<string | null> {
      const found = await call<Record<string, string>>((cb) => {
        item.internetHeaders.getAsync([name], cb);
      });
      return found[name] ?? null;
    },
    async getSessionValue(key: string): Promise<string | null> {
      try {
        return await call<string>((cb) => {
          item.sessionData.getAsync(key, cb);
        });
      } catch {
        // A key never set is reported as an error.
        return null;
      }
    },
    setSessionValue: (key: string, value: string) =>
      act((cb) => {
        item.sessionData.setAsync(key, value, cb);
      }),
    async getDraftProperty(key: string): Promise<string | null> {
      const value: unknown = (await customProperties()).get(key);
      return typeof value === 'string' ? value : null;
    },
    async setDraftProperty(key: string, value: string | null): Promise<void> {
      const p = await customProperties();
      if (value === null) p.remove(key);
      else p.set(key, value);
      await act((cb) => {
        p.saveAsync(cb);
      });
    },
  };
}

/** The mailbox around the current item. */
export function officeHost(): MailHost {
  return {
    item: () => composeItem(office().context.mailbox.item as Office.MessageCompose),
    userAddress: () => office().context.mailbox.userProfile.emailAddress.toLowerCase(),
    supportsMailbox: (minor: number) => office().context.requirements.isSetSupported('Mailbox', `1.${minor}`),
    platform: () => {
      const diagnostics = office().context.mailbox.diagnostics;
      return `${diagnostics.hostName} ${diagnostics.hostVersion}`;
    },
    async onItemChanged(listener: () => void): Promise<() => void> {
      const item = office().context.mailbox.item as Office.MessageCompose;
      const types = [office().EventType.RecipientsChanged, office().EventType.AttachmentsChanged];
      const added: Office.EventType[] = [];
      for (const type of types) {
        try {
          await act((cb) => {
            item.addHandlerAsync(type, listener, cb);
          });
          added.push(type);
        } catch {
          // Older clients lack the event; the task pane's re-scan button covers them.
        }
      }
      return () => {
        for (const type of added) item.removeHandlerAsync(type);
      };
    },
    async ssoToken(): Promise<string | null> {
      const auth = office().auth as typeof Office.auth | undefined;
      if (auth === undefined || typeof auth.getAccessToken !== 'function') return null;
      try {
        return await auth.getAccessToken({ allowSignInPrompt: false, allowConsentPrompt: false });
      } catch {
        return null;
      }
    },
  };
}

/**
 * The Smart Alert options a client understands: Markdown needs Mailbox 1.15,
 * the prompt, the task-pane button and its label 1.14. Below that the plain
 * message stands alone and a prompt becomes a block (SendMode is Block).
 */
export function completionOptions(
  result: SendCompletion,
  supportsMailbox: (minor: number) => boolean,
): Office.SmartAlertsEventCompletedOptions {
  if (result.allowEvent) return { allowEvent: true };
  const options: Office.SmartAlertsEventCompletedOptions = { allowEvent: false };
  if (result.errorMessage !== undefined) options.errorMessage = result.errorMessage;
  if (result.errorMessageMarkdown !== undefined && supportsMailbox(15)) {
    options.errorMessageMarkdown = result.errorMessageMarkdown;
  }
  if (result.secureCommandId !== undefined && supportsMailbox(15)) {
    // One click secures the message: the alert's button runs the function command.
    options.commandId = result.secureCommandId;
    options.cancelLabel = SECURE_ACTION_LABEL;
    options.contextData = JSON.stringify({ from: 'smart-alert' });
  } else if (supportsMailbox(14)) {
    if (result.commandId !== undefined) options.commandId = result.commandId;
    if (result.cancelLabel !== undefined) options.cancelLabel = result.cancelLabel;
  }
  if (supportsMailbox(14)) {
    if (result.promptUser === true)
      options.sendModeOverride = office().MailboxEnums.SendModeOverride.PromptUser;
  }
  return options;
}

/** The alert's button that secures the message (at most 20 characters, as Outlook requires). */
export const SECURE_ACTION_LABEL = 'Send securely';

/**
 * Registers a function command (a ribbon button or an alert's action): runs
 * `run`, then tells Outlook it is done, whatever happened.
 */
export function associateCommand(name: string, run: (host: MailHost) => Promise<void>): void {
  const host = officeHost();
  office().actions.associate(name, (event: Office.AddinCommands.Event) => {
    run(host)
      .catch(() => undefined)
      .finally(() => {
        event.completed();
      });
  });
}

/**
 * Registers the on-send handler under the manifest's function name. Called at
 * the top level of the commands bundle, as Outlook requires.
 */
export function associateOnSend(name: string, handler: (event: SendEvent, host: MailHost) => void): void {
  const host = officeHost();
  office().actions.associate(name, (event: Office.MailboxEvent) => {
    handler(
      {
        completed: (result) => {
          event.completed(completionOptions(result, (minor) => host.supportsMailbox(minor)));
        },
      },
      host,
    );
  });
}

/** Resolves once Office.js is ready (the task pane waits for it before reading the item). */
export function officeReady(): Promise<void> {
  return office()
    .onReady()
    .then(() => undefined);
}
