// The page: sign in, then the active handoffs, the contact sidebar and the inbox side by side. Nothing of the tenant is
// asked for or shown before someone is signed in.

import "./styles.css";
import { createApi } from "./api";
import { currentSession, developmentSignIn, keepToken, signOut, type Session } from "./auth";
import { loadConfig, type PageConfig } from "./config";
import { byId, h, replace } from "./dom";
import { ActiveHandoffs } from "./handoffs";
import { Inbox } from "./inbox";
import { finishOidcSignIn, startOidcSignIn } from "./oidc";
import { Sidebar } from "./sidebar";

const roles = ["agent", "admin", "ingest"];

/** Tabs of this browser tell each other what they changed, so a second tab shows it at once. */
interface TabMessage {
  tenant: string;
  contactId: string;
}

async function boot(): Promise<void> {
  const app = byId("app");
  let config: PageConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    replace(app, h("p", { role: "alert", class: "alert" }, error instanceof Error ? error.message : String(error)));
    app.removeAttribute("aria-busy");
    return;
  }
  if (config.signIn === "oidc" && config.oidc) {
    try {
      const token = await finishOidcSignIn(config.oidc);
      if (token) {
        keepToken(token, config);
      }
    } catch (error) {
      showSignIn(config, error instanceof Error ? error.message : String(error));
      return;
    }
  }
  const session = currentSession(config);
  if (session) {
    showApp(config, session);
  } else {
    showSignIn(config);
  }
}

function showSignIn(config: PageConfig, message?: string): void {
  const app = byId("app");
  replace(byId("who"), h("span", { id: "signed-in-as" }, "Not signed in"));
  const alert = h("div", { role: "alert", class: message ? "alert alert-signed-out" : "alert" }, message ? h("p", {}, message) : null);
  let body: HTMLElement;
  if (config.signIn === "development") {
    const user = h("input", { id: "sign-in-user", name: "user", type: "text", required: true, autocomplete: "username" });
    const role = h("select", { id: "sign-in-role", name: "role" }, roles.map((r) => h("option", { value: r }, r)));
    const tenant = h("input", { id: "sign-in-tenant", name: "tenant", type: "text", required: true, value: "demo" });
    body = h(
      "form",
      {
        class: "sign-in-form",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            showApp(config, await developmentSignIn(config, tenant.value.trim(), user.value.trim(), role.value));
          } catch (error) {
            replace(alert, h("p", {}, error instanceof Error ? error.message : String(error)));
          }
        },
      },
      h("p", {}, "Development server: it hands out a token for any user of this machine. Production servers sign in with your identity provider."),
      h("label", { for: "sign-in-user" }, "User"),
      user,
      h("label", { for: "sign-in-role" }, "Role"),
      role,
      h("label", { for: "sign-in-tenant" }, "Tenant"),
      tenant,
      h("button", { type: "submit", class: "primary" }, "Sign in"),
    );
  } else if (config.signIn === "oidc" && config.oidc) {
    const oidc = config.oidc;
    body = h(
      "div",
      {},
      h("button", {
        type: "button",
        class: "primary",
        onclick: () => startOidcSignIn(oidc).catch((error: unknown) => replace(alert, h("p", {}, error instanceof Error ? error.message : String(error)))),
      }, "Sign in with your company account"),
    );
  } else {
    body = h("p", {}, "Sign-in is not configured on this server: set Handoff:Web:SignIn (docs/web.md).");
  }
  replace(app, h("section", { class: "sign-in", "aria-labelledby": "sign-in-title" }, h("h2", { id: "sign-in-title" }, "Sign in"), alert, body));
  app.removeAttribute("aria-busy");
  app.querySelector<HTMLElement>("input, button")?.focus();
}

function showApp(config: PageConfig, session: Session): void {
  const app = byId("app");
  const api = createApi(session);
  const tabs = new BroadcastChannel("handoff-web");
  let ended = false;
  const end = (message?: string) => {
    if (ended) {
      return;
    }
    ended = true;
    inbox.close();
    tabs.close();
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
    signOut();
    document.title = "Handoff";
    showSignIn(config, message);
  };
  const refreshAll = () => {
    void sidebar.refresh();
    void handoffs.refresh();
  };
  const open = (contactId: string) => void sidebar.open(contactId, { focus: true });
  const sidebar = new Sidebar(api, session, {
    changed: (contactId) => {
      void handoffs.refresh();
      tabs.postMessage({ tenant: session.tenant, contactId } satisfies TabMessage);
    },
    signedOut: end,
  });
  const handoffs = new ActiveHandoffs(api, session, open, end);
  const inbox = new Inbox(api, session, {
    entry: (contactId) => {
      if (contactId === sidebar.currentContactId) {
        void sidebar.refresh();
      }
      void handoffs.refresh();
    },
    open,
    signedOut: end,
  });
  tabs.onmessage = (event: MessageEvent<TabMessage>) => {
    if (event.data.tenant === session.tenant) {
      if (event.data.contactId === sidebar.currentContactId) {
        void sidebar.refresh();
      }
      void handoffs.refresh();
    }
  };
  const onVisible = () => {
    if (document.visibilityState === "visible") {
      refreshAll();
    }
  };
  document.addEventListener("visibilitychange", onVisible);
  // For what reaches no inbox this page watches (another person's pause, say).
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") {
      refreshAll();
    }
  }, config.sidebarRefreshMilliseconds);

  replace(
    byId("who"),
    h("span", { id: "signed-in-as" }, "Signed in as ", h("strong", {}, session.user), ` (${session.roles.join(", ") || "no role"}) · tenant ${session.tenant}`),
    h("button", { type: "button", id: "sign-out", onclick: () => end() }, "Sign out"),
  );
  replace(app, h("div", { class: "layout" }, handoffs.element, sidebar.element, inbox.element));
  app.removeAttribute("aria-busy");

  void handoffs.refresh();
  const requested = new URL(window.location.href).searchParams.get("contact");
  void inbox
    .start()
    .catch(() => undefined)
    .then(() => {
      const contactId = requested ?? inbox.newestContact();
      if (contactId && !ended) {
        void sidebar.open(contactId);
      }
    });
}

void boot();
