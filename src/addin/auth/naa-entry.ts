/**
 * naa.js: loaded by commands.html before the commands bundle in runtimes
 * with a DOM (Outlook on the web, new Outlook, Mac). It offers the on-send
 * handler a silent NAA token as `secureEnvelopeNaa`; the handler never
 * prompts, since a Smart Alert cannot host a sign-in.
 */
import { injectedConfig } from '../core/config';
import type { NaaBridge } from '../core/token-source';
import { createNaaClient } from './naa';

const config = injectedConfig();
if (config !== null && config.auth.kind === 'entra' && config.auth.clientId !== '') {
  const client = createNaaClient(config.auth);
  const bridge: NaaBridge = { getToken: () => client.silent() };
  (window as unknown as Record<string, unknown>).secureEnvelopeNaa = bridge;
}
