/**
 * Runs first in each harness frame (the task pane and the event runtime):
 * installs the harness's fake `Office` over the compose window's shared
 * mailbox, so the real bundle that loads next finds Office.js as in Outlook.
 */
import { HARNESS_GLOBAL, type HarnessApi } from './api';

const harness = (window.parent as unknown as Record<string, HarnessApi | undefined>)[HARNESS_GLOBAL];
if (harness === undefined) {
  document.title = 'Open /dev/outlook: this page runs inside the harness';
} else {
  (window as unknown as Record<string, unknown>).Office = harness.register(window).office;
}
