/**
 * The task pane: while the sender composes, what was found, each recipient's
 * TLS verdict, and what will happen on send; plus the "Send securely" switch
 * that the on-send handler honours.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { officeReady } from '../office/index';
import { App } from './App';
import { createServices } from './services';

const root = document.getElementById('root');
if (root !== null) {
  const mount = createRoot(root);
  officeReady().then(
    () => {
      mount.render(
        <FluentProvider theme={webLightTheme}>
          <App services={createServices()} />
        </FluentProvider>,
      );
    },
    (e: unknown) => {
      root.textContent = `Secure Envelope could not start: ${e instanceof Error ? e.message : 'Office.js did not load'}.`;
    },
  );
}
