/**
 * Sender sign-in with Nested App Authentication: MSAL's nestable client
 * asks Outlook (the host) for a token for our API, silently when it can.
 * Used by the task pane, and by naa.js in the event runtime's page where the
 * runtime has a DOM. Not part of the ES2016 commands bundle (see
 * core/token-source.ts for why and what classic Outlook uses instead).
 */
import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from '@azure/msal-browser';

export interface EntraSettings {
  clientId: string;
  authority: string;
  scopes: string[];
}

export interface NaaClient {
  /** A token without any prompt; rejects when the user must interact. */
  silent(): Promise<string>;
  /** A token, prompting (a popup Outlook hosts) when silent sign-in is not possible. */
  interactive(): Promise<string>;
}

export function createNaaClient(settings: EntraSettings): NaaClient {
  let app: Promise<IPublicClientApplication> | undefined;
  const client = (): Promise<IPublicClientApplication> =>
    (app ??= createNestablePublicClientApplication({
      auth: { clientId: settings.clientId, authority: settings.authority },
    }));
  const silent = async (): Promise<string> => {
    const pca = await client();
    const result = await pca.acquireTokenSilent({ scopes: settings.scopes });
    return result.accessToken;
  };
  return {
    silent,
    async interactive(): Promise<string> {
      try {
        return await silent();
      } catch (e) {
        if (!(e instanceof InteractionRequiredAuthError)) throw e;
        const pca = await client();
        return (await pca.acquireTokenPopup({ scopes: settings.scopes })).accessToken;
      }
    },
  };
}
