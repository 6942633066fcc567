/**
 * The development harness: a compose window standing in for Outlook's. It
 * owns the mailbox (recipients, subject, HTML body, attachments), shows the
 * real task pane beside it and runs the real on-send handler in a hidden
 * frame, as Outlook on the web does. Send fires the handler; the page then
 * shows the Smart Alert, or the message exactly as it would leave.
 */
import { createFakeOffice, emptyMessage, FakeMailbox, type FakeOffice } from '../office/fake-office';
import { HARNESS_GLOBAL, type HarnessApi, type SendRecord, type SentMessage } from './api';

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed lookup by id
const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the harness page lacks #${id}`);
  return el as T;
};

const params = new URLSearchParams(location.search);
const fromInput = $<HTMLInputElement>('from');
const sender = params.get('from') ?? fromInput.value;
fromInput.value = sender;
fromInput.readOnly = true;

const mailbox = new FakeMailbox(sender, Number(params.get('mailbox') ?? '15'));
const versionSelect = $<HTMLSelectElement>('mailbox-version');
versionSelect.value = String(mailbox.mailboxMinor);
versionSelect.addEventListener('change', () => {
  mailbox.mailboxMinor = Number(versionSelect.value);
});

let commandsFrame: HTMLIFrameElement | null = null;
const runtime: { office: FakeOffice | null } = { office: null };
let functionName: string | null = null;
let sending = false;

/** The function the manifest names for OnMessageSend: the harness calls what Outlook would. */
async function manifestFunctionName(): Promise<string> {
  const xml = await (await fetch('/addin/manifest.xml')).text();
  const match = /<LaunchEvent\s+Type="OnMessageSend"\s+FunctionName="([^"]+)"/.exec(xml);
  if (match === null) throw new Error('the manifest names no OnMessageSend function');
  return match[1]!;
}

const readyPromise = (async () => {
  functionName = await manifestFunctionName();
  const started = Date.now();
  while (runtime.office === null || !runtime.office.associated(functionName)) {
    if (Date.now() - started > 15_000) throw new Error('the commands bundle did not associate its handler');
    await new Promise((r) => setTimeout(r, 25));
  }
})();
readyPromise.catch((e: unknown) => {
  status(`The add-in's event runtime did not load: ${e instanceof Error ? e.message : String(e)}`);
});

// ---- the compose form <-> the mailbox ----

const splitAddresses = (s: string): string[] =>
  s
    .split(/[;,]/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');

const fields = ['to', 'cc', 'bcc'] as const;
for (const field of fields) {
  const input = $<HTMLInputElement>(field);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const commit = (): void => {
    clearTimeout(timer);
    const next = splitAddresses(input.value);
    if (next.join() !== mailbox.message[field].join()) mailbox.setRecipients(field, next);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(commit, 300);
  });
  input.addEventListener('change', commit);
}
const subjectInput = $<HTMLInputElement>('subject');
subjectInput.addEventListener('input', () => {
  mailbox.message.subject = subjectInput.value;
});
const bodyEditor = $<HTMLDivElement>('body');
bodyEditor.addEventListener('input', () => {
  mailbox.message.bodyHtml = bodyEditor.innerHTML;
});

function renderAttachments(): void {
  const list = $<HTMLUListElement>('attachments');
  list.replaceChildren(
    ...mailbox.message.attachments.map((a) => {
      const li = document.createElement('li');
      li.textContent = `${a.name} (${formatSize(a.size)}) `;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${a.name}`);
      remove.addEventListener('click', () => {
        mailbox.message.attachments = mailbox.message.attachments.filter((x) => x.id !== a.id);
        mailbox.emit('olkAttachmentsChanged');
      });
      li.append(remove);
      return li;
    }),
  );
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}

const attachInput = $<HTMLInputElement>('attach');
attachInput.addEventListener('change', () => {
  for (const file of Array.from(attachInput.files ?? [])) {
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      mailbox.addAttachment({
        name: file.name,
        size: file.size,
        isInline: false,
        kind: 'file',
        base64: url.slice(url.indexOf(',') + 1),
      });
    });
    reader.readAsDataURL(file);
  }
  attachInput.value = '';
});

/** The add-in changed the item (notice swapped in, attachments removed): show it. */
function showMessage(): void {
  const m = mailbox.message;
  for (const field of fields) $<HTMLInputElement>(field).value = m[field].join('; ');
  subjectInput.value = m.subject;
  if (bodyEditor.innerHTML !== m.bodyHtml) bodyEditor.innerHTML = m.bodyHtml;
  renderAttachments();
}
mailbox.on('body', showMessage);
mailbox.on('subject', showMessage);
mailbox.on('olkAttachmentsChanged', renderAttachments);
mailbox.on('olkRecipientsChanged', showMessage);

// ---- frames ----

function createFrames(): void {
  const pane = $<HTMLElement>('pane');
  const taskpane = document.createElement('iframe');
  taskpane.title = 'Secure Envelope task pane';
  taskpane.src = '/dev/outlook/taskpane.html';
  taskpane.id = 'taskpane';
  pane.replaceChildren(taskpane);
  commandsFrame = document.createElement('iframe');
  commandsFrame.src = '/dev/outlook/commands.html';
  commandsFrame.className = 'hidden-runtime';
  commandsFrame.tabIndex = -1;
  commandsFrame.setAttribute('aria-hidden', 'true');
  commandsFrame.title = 'Secure Envelope event runtime';
  document.body.append(commandsFrame);
}

const openPane = $<HTMLButtonElement>('open-pane');
function setPaneOpen(open: boolean): void {
  $<HTMLElement>('pane').hidden = !open;
  openPane.setAttribute('aria-pressed', String(open));
}
openPane.addEventListener('click', () => {
  setPaneOpen(openPane.getAttribute('aria-pressed') !== 'true');
});

// ---- sending ----

function status(text: string): void {
  $<HTMLParagraphElement>('status').textContent = text;
}

function snapshot(): SentMessage {
  const m = mailbox.message;
  return {
    from: sender,
    to: m.to.slice(),
    cc: m.cc.slice(),
    bcc: m.bcc.slice(),
    subject: m.subject,
    bodyHtml: m.bodyHtml,
    headers: { ...m.headers },
    attachments: m.attachments.map((a) => ({ name: a.name, size: a.size })),
  };
}

function showSent(sent: SentMessage): void {
  $<HTMLElement>('alert').hidden = true;
  const dl = $<HTMLDListElement>('sent-headers');
  const rows: [string, string][] = [
    ['From', sent.from],
    ['To', sent.to.join('; ')],
    ['Cc', sent.cc.join('; ')],
    ['Bcc', sent.bcc.join('; ')],
    ['Subject', sent.subject],
    ['Attachments', sent.attachments.map((a) => a.name).join(', ') || '(none)'],
    ...Object.keys(sent.headers).map((k): [string, string] => [k, sent.headers[k] ?? '']),
  ];
  dl.replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.dataset.header = k.toLowerCase();
      return [dt, dd];
    }),
  );
  // A sandbox without scripts: the body is shown, never run.
  $<HTMLIFrameElement>('sent-body').srcdoc = sent.bodyHtml;
  $<HTMLElement>('sent').hidden = false;
  $<HTMLButtonElement>('send').disabled = true;
}

let promptResolve: ((sendAnyway: boolean) => void) | null = null;

function showAlert(record: SendRecord): void {
  const c = record.completion;
  $<HTMLElement>('sent').hidden = true;
  $<HTMLElement>('alert').hidden = false;
  $<HTMLParagraphElement>('alert-text').textContent =
    c.errorMessage ?? 'The add-in blocked this message without saying why.';
  const command = $<HTMLButtonElement>('alert-command');
  command.hidden = c.commandId === undefined;
  lastAlertCommand = c.commandId;
  command.textContent = c.cancelLabel ?? 'Open Secure Envelope';
  $<HTMLButtonElement>('alert-send-anyway').hidden = c.sendModeOverride !== 'promptUser';
  $<HTMLButtonElement>('alert-dismiss').focus();
}

$<HTMLButtonElement>('alert-command').addEventListener('click', () => {
  $<HTMLElement>('alert').hidden = true;
  promptResolve?.(false);
  // As Outlook does: the alert's button runs the command its commandId names, a function or the task pane.
  const commandId = lastAlertCommand;
  void functionOfCommand(commandId).then((fn) => {
    if (fn === null) {
      setPaneOpen(true);
      return;
    }
    runtime.office!.runFunction(fn).then(
      () => {
        status('Send securely is on: press Send to send it as Secure Email.');
      },
      (e: unknown) => {
        status(`The command did not run: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  });
});

/** The last alert's commandId, for its button. */
let lastAlertCommand: string | undefined;

/** The function a manifest control runs (ExecuteFunction), or null for a task-pane button. */
async function functionOfCommand(commandId: string | undefined): Promise<string | null> {
  if (commandId === undefined) return null;
  const xml = await (await fetch('/addin/manifest.xml')).text();
  // The control's own markup, up to its end: a function command names its function inside.
  const start = xml.indexOf(`id="${commandId}"`);
  if (start < 0) return null;
  const control = xml.slice(start, xml.indexOf('</Control>', start));
  return /<FunctionName>([^<]+)<\/FunctionName>/.exec(control)?.[1] ?? null;
}
$<HTMLButtonElement>('alert-dismiss').addEventListener('click', () => {
  $<HTMLElement>('alert').hidden = true;
  promptResolve?.(false);
});
$<HTMLButtonElement>('alert-send-anyway').addEventListener('click', () => {
  $<HTMLElement>('alert').hidden = true;
  promptResolve?.(true);
});

/** A network fault the next envelope request meets; each is used once. */
const faults = {
  /** The request reaches the server and is processed; its answer is lost. */
  loseAnswer: $<HTMLInputElement>('lose-answer'),
  /** The request is lost on its way: the server never sees it. */
  dropRequest: $<HTMLInputElement>('drop-request'),
  /** As loseAnswer, and every request after it fails until this send completes. */
  cutAfterSend: $<HTMLInputElement>('cut-after-send'),
};
/** Set while a cut connection lasts. */
let cut = false;

/** Wraps the event runtime's fetch so the next envelope request meets the chosen fault. */
function installFaults(frame: Window): void {
  const real = frame.fetch.bind(frame);
  frame.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (cut) throw new TypeError('Failed to fetch (the harness cut the connection)');
    const envelopePost = init?.method === 'POST' && new URL(url).pathname === '/v1/envelopes';
    if (envelopePost && faults.dropRequest.checked) {
      faults.dropRequest.checked = false;
      throw new TypeError('Failed to fetch (the harness dropped the request)');
    }
    const response = await real(input, init);
    const lose = faults.loseAnswer.checked || faults.cutAfterSend.checked;
    if (envelopePost && lose) {
      cut = faults.cutAfterSend.checked;
      faults.loseAnswer.checked = false;
      faults.cutAfterSend.checked = false;
      await response.text();
      throw new TypeError('Failed to fetch (the harness dropped the answer)');
    }
    return response;
  };
}

async function send(): Promise<SendRecord> {
  if (sending) throw new Error('a send is already in progress');
  sending = true;
  $<HTMLElement>('alert').hidden = true;
  $<HTMLElement>('sent').hidden = true;
  status('Checking the message…');
  const slow = setTimeout(() => {
    status('Secure Envelope is taking longer than expected…');
  }, 5000);
  const started = performance.now();
  let record: SendRecord;
  try {
    await readyPromise;
    const completion = await runtime.office!.fireSend(functionName!);
    record = { completion, elapsedMs: performance.now() - started, sent: null };
  } catch {
    // SendMode="Block": if the add-in is unavailable, Outlook does not send.
    record = {
      completion: {
        allowEvent: false,
        errorMessage: 'Secure Envelope is unavailable, and your organization requires it to check messages.',
      },
      elapsedMs: performance.now() - started,
      sent: null,
    };
  } finally {
    clearTimeout(slow);
    sending = false;
    cut = false;
  }
  if (record.completion.allowEvent === true) {
    record.sent = snapshot();
    status(`Sent. Secure Envelope decided in ${record.elapsedMs.toFixed(0)} ms.`);
    showSent(record.sent);
  } else {
    status(`Not sent. Secure Envelope decided in ${record.elapsedMs.toFixed(0)} ms.`);
    showAlert(record);
    if (record.completion.sendModeOverride === 'promptUser') {
      const anyway = await new Promise<boolean>((resolve) => (promptResolve = resolve));
      promptResolve = null;
      if (anyway) {
        record.sent = snapshot();
        status('Sent anyway, as the sender chose.');
        showSent(record.sent);
      }
    }
  }
  api.lastSend = record;
  return record;
}

function newMessage(): void {
  mailbox.message = emptyMessage();
  showMessage();
  $<HTMLElement>('alert').hidden = true;
  $<HTMLElement>('sent').hidden = true;
  $<HTMLButtonElement>('send').disabled = false;
  status('');
  mailbox.emit('olkRecipientsChanged');
  mailbox.emit('newMessage');
}

$<HTMLButtonElement>('send').addEventListener('click', () => {
  send().catch(() => undefined);
});
$<HTMLButtonElement>('new-message').addEventListener('click', newMessage);

const api: HarnessApi = {
  mailbox,
  register(frame: Window): FakeOffice {
    const fake = createFakeOffice(mailbox);
    if (commandsFrame !== null && frame === commandsFrame.contentWindow) {
      runtime.office = fake;
      installFaults(frame);
    }
    return fake;
  },
  ready: () => readyPromise,
  send,
  lastSend: null,
  setBodyHtml(html: string): void {
    mailbox.message.bodyHtml = html;
    bodyEditor.innerHTML = html;
  },
  newMessage,
  loseNextEnvelopeAnswer(): void {
    faults.loseAnswer.checked = true;
  },
};
(window as unknown as Record<string, unknown>)[HARNESS_GLOBAL] = api;
createFrames();
