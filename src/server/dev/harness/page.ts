/**
 * The markup of `/dev/outlook`: a compose window like Outlook's, with the
 * add-in's task pane in a side frame. Behaviour comes from dist/harness.js
 * (src/addin/harness), which also creates the frames once the mailbox they
 * share exists. No inline script anywhere.
 */
export const HARNESS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outlook (development harness) · Secure Envelope</title>
<link rel="stylesheet" href="/dev/outlook/harness.css">
<script src="/dev/outlook/harness.js" defer></script>
</head>
<body>
<header class="bar">
  <strong>Outlook</strong> <span class="muted">development harness: a stand-in for the compose window</span>
  <span class="spacer"></span>
  <label>Client supports
    <select id="mailbox-version" aria-label="Mailbox requirement set the simulated client supports">
      <option value="15" selected>Mailbox 1.15 (web, new Outlook)</option>
      <option value="14">Mailbox 1.14</option>
      <option value="12">Mailbox 1.12 (oldest with Smart Alerts)</option>
    </select>
  </label>
</header>
<main class="layout">
  <section class="compose" aria-label="New message">
    <div class="toolbar" role="toolbar" aria-label="Message">
      <button id="send" class="primary" type="button">Send</button>
      <button id="open-pane" type="button" aria-pressed="true">Secure Envelope: Check message</button>
      <button id="new-message" type="button">New message</button>
      <label class="fault"><input id="lose-answer" type="checkbox"> Lose the next envelope answer (network failure)</label>
      <label class="fault"><input id="drop-request" type="checkbox"> Drop the next envelope request before it reaches the server</label>
      <label class="fault"><input id="cut-after-send" type="checkbox"> Lose the next envelope answer and the connection with it</label>
    </div>
    <div class="fields">
      <label for="from">From</label><input id="from" value="rep@plan.example" autocomplete="off">
      <label for="to">To</label><input id="to" autocomplete="off" placeholder="name@example.org; other@example.org">
      <label for="cc">Cc</label><input id="cc" autocomplete="off">
      <label for="bcc">Bcc</label><input id="bcc" autocomplete="off">
      <label for="subject">Subject</label><input id="subject" autocomplete="off">
      <span id="attach-label">Attachments</span>
      <div class="attachments">
        <input id="attach" type="file" multiple aria-labelledby="attach-label">
        <ul id="attachments" aria-label="Attached files"></ul>
      </div>
    </div>
    <div id="body" class="body" contenteditable="true" role="textbox" aria-multiline="true" aria-label="Message body"></div>
    <p id="status" role="status" aria-live="polite"></p>
    <section id="alert" class="alert" role="alertdialog" aria-labelledby="alert-title" aria-describedby="alert-text" hidden>
      <h2 id="alert-title">Secure Envelope</h2>
      <p id="alert-text"></p>
      <div class="actions">
        <button id="alert-command" type="button" hidden></button>
        <button id="alert-send-anyway" type="button" hidden>Send anyway</button>
        <button id="alert-dismiss" type="button">Don't send</button>
      </div>
    </section>
    <section id="sent" class="sent" aria-labelledby="sent-title" hidden>
      <h2 id="sent-title">Sent: the message as Outlook sent it</h2>
      <dl id="sent-headers"></dl>
      <iframe id="sent-body" title="Body of the sent message" sandbox=""></iframe>
    </section>
  </section>
  <aside id="pane" class="pane" aria-label="Secure Envelope task pane"></aside>
</main>
</body>
</html>
`;

export const HARNESS_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 "Segoe UI", system-ui, sans-serif; color: #242424; background: #f5f5f5; }
.bar { display: flex; gap: 12px; align-items: center; padding: 8px 16px; background: #0f6cbd; color: #fff; }
.bar .muted { font-weight: 400; }
.bar select { margin-left: 6px; }
.spacer { flex: 1; }
.layout { display: flex; gap: 0; min-height: calc(100vh - 44px); }
.compose { flex: 1; padding: 12px 16px; min-width: 0; background: #fff; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
.toolbar .fault { margin-left: auto; font-size: 12px; color: #616161; }
button { font: inherit; padding: 5px 12px; border: 1px solid #d1d1d1; border-radius: 4px; background: #fff; cursor: pointer; }
button.primary { background: #0f6cbd; border-color: #0f6cbd; color: #fff; }
button:focus-visible, input:focus-visible, select:focus-visible, .body:focus-visible { outline: 2px solid #000; outline-offset: 1px; }
.fields { display: grid; grid-template-columns: 90px 1fr; gap: 6px 8px; align-items: center; }
.fields input:not([type]), .fields input[autocomplete] { width: 100%; padding: 5px 8px; border: 1px solid #d1d1d1; border-radius: 4px; font: inherit; }
.attachments ul { list-style: none; margin: 4px 0 0; padding: 0; display: flex; gap: 6px; flex-wrap: wrap; }
.attachments li { border: 1px solid #d1d1d1; border-radius: 4px; padding: 2px 6px; }
.body { margin-top: 12px; min-height: 220px; border: 1px solid #d1d1d1; border-radius: 4px; padding: 10px; overflow: auto; }
.alert { margin-top: 12px; border: 2px solid #c50f1f; border-radius: 6px; padding: 8px 12px; background: #fdf3f4; }
.alert h2, .sent h2 { font-size: 16px; margin: 0 0 6px; }
.alert #alert-text { white-space: pre-wrap; }
.alert .actions { display: flex; gap: 8px; }
.sent { margin-top: 12px; border: 2px solid #107c10; border-radius: 6px; padding: 8px 12px; background: #f1faf1; }
.sent dl { display: grid; grid-template-columns: 160px 1fr; gap: 2px 8px; margin: 0 0 8px; }
.sent dt { font-weight: 600; }
.sent dd { margin: 0; word-break: break-all; }
.sent iframe { width: 100%; height: 260px; border: 1px solid #d1d1d1; background: #fff; }
.pane { width: 340px; flex: none; border-left: 1px solid #d1d1d1; background: #fff; }
.pane iframe { width: 100%; height: 100%; min-height: calc(100vh - 44px); border: 0; }
.pane[hidden] { display: none; }
.hidden-runtime { position: absolute; width: 0; height: 0; border: 0; visibility: hidden; }
#status { min-height: 1.4em; color: #616161; }
`;

/** The event runtime's page in the harness: the fake Office first, then the real commands bundle. */
export const HARNESS_COMMANDS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Secure Envelope event runtime</title>
<script src="/dev/outlook/frame.js"></script>
<script src="/addin/commands.js"></script>
</head><body></body></html>
`;

/** The task pane in the harness: the fake Office first, then the real task pane bundle. */
export const HARNESS_TASKPANE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Secure Envelope</title>
<script src="/dev/outlook/frame.js"></script>
<script src="/addin/taskpane.js" defer></script>
</head><body><div id="root"></div></body></html>
`;
