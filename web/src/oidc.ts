// Production sign-in: OpenID Connect's authorization code flow with PKCE for a public client (no secret in the page).
// The provider's discovery document names its endpoints; the access token it gives is the bearer token the host
// validates (Handoff:Auth:Authority). docs/web.md says how to register the page at the provider.

import type { OidcConfig } from "./config";

const verifierKey = "handoff.oidc.verifier";
const stateKey = "handoff.oidc.state";

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(config: OidcConfig): Promise<Discovery> {
  const response = await fetch(`${config.authority.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) {
    throw new Error(`The sign-in provider did not answer (HTTP ${response.status}).`);
  }
  return (await response.json()) as Discovery;
}

function randomText(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function redirectUri(): string {
  return `${window.location.origin}/`;
}

/** Sends the browser to the provider's sign-in page; it comes back to the page with a code. */
export async function startOidcSignIn(config: OidcConfig): Promise<void> {
  const discovery = await discover(config);
  const verifier = randomText(32);
  const state = randomText(16);
  sessionStorage.setItem(verifierKey, verifier);
  sessionStorage.setItem(stateKey, state);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  window.location.assign(`${discovery.authorization_endpoint}?${query}`);
}

/** On the way back from the provider: the access token for the code in the address, or null when there is none. */
export async function finishOidcSignIn(config: OidcConfig): Promise<string | null> {
  const url = new URL(window.location.href);
  const code = url.searchParams.get("code");
  if (!code) {
    return null;
  }
  const state = url.searchParams.get("state");
  const verifier = sessionStorage.getItem(verifierKey);
  sessionStorage.removeItem(verifierKey);
  url.searchParams.delete("code");
  url.searchParams.delete("state");
  window.history.replaceState(null, "", url);
  if (!verifier || state !== sessionStorage.getItem(stateKey)) {
    throw new Error("The sign-in answer does not belong to this tab; sign in again.");
  }
  const discovery = await discover(config);
  const response = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) {
    throw new Error(`The sign-in provider refused the code (HTTP ${response.status}).`);
  }
  const tokens = (await response.json()) as { access_token?: string };
  if (!tokens.access_token) {
    throw new Error("The sign-in provider gave no access token.");
  }
  return tokens.access_token;
}
