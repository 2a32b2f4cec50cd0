// What the host tells the page before anyone signs in (GET /web-config.json): how to sign in, which token claims name
// the tenant, the user and the roles, and how often to refresh an open sidebar.

export interface OidcConfig {
  authority: string;
  clientId: string;
  scope: string;
}

export interface PageConfig {
  signIn: "development" | "oidc" | "none";
  developmentTokenPath: string | null;
  oidc: OidcConfig | null;
  claims: { tenant: string; user: string; roles: string };
  sidebarRefreshMilliseconds: number;
}

/** Where the API is: the page's own origin, unless a development server (`npm run dev`) names the host. */
export const apiBaseUrl: string = (import.meta.env.VITE_HANDOFF_API as string | undefined) ?? window.location.origin;

export async function loadConfig(): Promise<PageConfig> {
  const response = await fetch(`${apiBaseUrl}/web-config.json`, { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`The server did not give the page its settings (HTTP ${response.status}).`);
  }
  return (await response.json()) as PageConfig;
}
