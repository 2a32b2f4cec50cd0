// Who is signed in: a bearer token and the tenant, user and roles it names. In Development the token comes from the
// host's development token endpoint; in production from the OpenID Connect provider (oidc.ts). It is kept in this
// tab's sessionStorage only, so closing the tab signs out and other sites' scripts never see it.

import { apiBaseUrl, type PageConfig } from "./config";

export interface Session {
  token: string;
  tenant: string;
  user: string;
  roles: string[];
  expires: Date | null;
}

const storageKey = "handoff.session.token";

/** The session of this tab, if its token is still good for a minute; else none. */
export function currentSession(config: PageConfig): Session | null {
  const token = sessionStorage.getItem(storageKey);
  if (!token) {
    return null;
  }
  const session = sessionOf(token, config);
  if (!session || (session.expires && session.expires.getTime() - Date.now() < 60_000)) {
    sessionStorage.removeItem(storageKey);
    return null;
  }
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(storageKey);
}

/** Keeps `token` for this tab and reads the caller from it; throws if the token names no tenant or user. */
export function keepToken(token: string, config: PageConfig): Session {
  const session = sessionOf(token, config);
  if (!session) {
    throw new Error(`The token names no tenant ("${config.claims.tenant}") or no user ("${config.claims.user}").`);
  }
  sessionStorage.setItem(storageKey, token);
  return session;
}

/** Development: a token for `user` of `tenant` with `role` from the host, which serves it to this machine only. */
export async function developmentSignIn(config: PageConfig, tenant: string, user: string, role: string): Promise<Session> {
  const query = new URLSearchParams({ tenant, user, role });
  const response = await fetch(`${apiBaseUrl}${config.developmentTokenPath}?${query}`, { cache: "no-store" });
  const text = (await response.text()).trim();
  if (!response.ok) {
    throw new Error(response.status === 400 ? text : `The server gave no token (HTTP ${response.status}).`);
  }
  return keepToken(text, config);
}

/** The claims of a JWT, unchecked: the server checks the signature; the page only shows who it names. */
function sessionOf(token: string, config: PageConfig): Session | null {
  const payload = token.split(".")[1];
  if (!payload) {
    return null;
  }
  let claims: Record<string, unknown>;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const tenant = claims[config.claims.tenant];
  const user = claims[config.claims.user];
  if (typeof tenant !== "string" || typeof user !== "string" || !tenant || !user) {
    return null;
  }
  const roles = claims[config.claims.roles];
  const expires = typeof claims.exp === "number" ? new Date(claims.exp * 1000) : null;
  return {
    token,
    tenant,
    user,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : typeof roles === "string" ? [roles] : [],
    expires,
  };
}
