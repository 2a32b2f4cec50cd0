// The signed-in person's inbox: loaded with ListNotifications, then kept live by WatchNotifications (a server stream
// over gRPC-Web). Every entry has the inbox's next sequence number; the page remembers the last one it has, and after a
// lost connection watches again from there, so it misses nothing and shows nothing twice.

import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Api } from "./api";
import type { Session } from "./auth";
import { formatTime, h, replace } from "./dom";
import { troubleOf } from "./errors";
import { InboxKind, NotificationPriority, type Notification, type WatchNotificationsResponse } from "./gen/handoff/v1/notification_service_pb";
import { changeText, reasonText, resolutionText } from "./labels";

export interface InboxEvents {
  /** An entry about `contactId` arrived (new, resolved, updated, moved). */
  entry(contactId: string): void;
  open(contactId: string): void;
  signedOut(message: string): void;
}

/** How long to wait before watching again after the n-th failure in a row: quickly at first, then up to the cap. */
const retryDelays = [250, 500, 1000, 2000, 4000, 8000];

export class Inbox {
  readonly element: HTMLElement;
  private readonly unread: HTMLElement;
  private readonly connection: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly notifications = new Map<bigint, Notification>();
  private lastSequence = 0n;
  private unreadCount = 0;
  private kind: InboxKind = InboxKind.USER;
  /** Ends the load and the watch of the inbox shown: on sign-out, or when the person picks another inbox. */
  private stop = new AbortController();

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly events: InboxEvents,
  ) {
    this.unread = h("span", { id: "unread-count", class: "unread-count" }, "");
    this.connection = h("p", { id: "inbox-connection", role: "status", class: "connection" }, "Connecting…");
    this.announcer = h("p", { id: "inbox-announcer", class: "visually-hidden", "aria-live": "polite" });
    this.list = h("ol", { id: "notifications", class: "notifications", "aria-labelledby": "inbox-title" });
    const picker = h(
      "select",
      { id: "inbox-kind", onchange: (e: Event) => this.show(Number((e.target as HTMLSelectElement).value) as InboxKind) },
      h("option", { value: String(InboxKind.USER) }, `Mine (${session.user})`),
      h("option", { value: String(InboxKind.UNASSIGNED) }, "Unassigned contacts"),
      h("option", { value: String(InboxKind.TEAM) }, "Team (escalations)"),
    );
    this.element = h(
      "aside",
      { id: "inbox", class: "inbox", "aria-labelledby": "inbox-title" },
      h("h2", { id: "inbox-title" }, "Inbox ", this.unread),
      h("div", { class: "inbox-picker" }, h("label", { for: "inbox-kind" }, "Show the inbox"), picker),
      this.connection,
      this.announcer,
      this.list,
    );
  }

  /** Loads the inbox and keeps it live until `close`. */
  async start(): Promise<void> {
    const signal = this.stop.signal;
    await this.reload();
    // Another inbox picked meanwhile has its own load and watch.
    if (!signal.aborted) {
      void this.watch();
    }
  }

  close(): void {
    this.stop.abort();
  }

  /** Shows another of the inboxes the person may read: loaded and watched from its start. */
  private show(kind: InboxKind): void {
    this.stop.abort();
    this.stop = new AbortController();
    this.kind = kind;
    this.notifications.clear();
    this.lastSequence = 0n;
    this.render();
    void this.start().catch(() => undefined);
  }

  /** The contact of the newest notification, to open when the page has none. */
  newestContact(): string | null {
    const newest = [...this.notifications.values()].sort((a, b) => Number(b.sequence - a.sequence))[0];
    return newest?.contactId ?? null;
  }

  private inboxRef() {
    return this.kind === InboxKind.USER ? { kind: this.kind, userId: this.session.user } : { kind: this.kind };
  }

  private async reload(): Promise<void> {
    const signal = this.stop.signal;
    try {
      const page = await this.api.notifications.listNotifications({ tenantId: this.session.tenant, inbox: this.inboxRef(), pageSize: 100 }, { signal });
      if (signal.aborted) {
        return;
      }
      this.notifications.clear();
      for (const notification of page.notifications) {
        this.notifications.set(notification.sequence, notification);
      }
      this.lastSequence = page.lastSequence;
      this.unreadCount = page.unreadCount;
      this.render();
    } catch (error) {
      const trouble = troubleOf(error);
      if (trouble.kind === "signed-out") {
        this.events.signedOut(trouble.message);
      } else {
        this.setConnection(`The inbox could not be loaded: ${trouble.message}`, "connection-lost");
      }
      throw error;
    }
  }

  private async watch(): Promise<void> {
    const signal = this.stop.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const resumedAfter = this.lastSequence;
        const reconnect = failures > 0;
        // The server answers with its first entry or heartbeat; until then the page says what it is doing.
        this.setConnection(reconnect ? `Reconnecting after entry ${resumedAfter}…` : "Listening for new notifications…", reconnect ? "connection-lost" : "connection-live");
        const stream = this.api.notifications.watchNotifications(
          { tenantId: this.session.tenant, inbox: this.inboxRef(), afterSequence: resumedAfter },
          {
            signal,
            // The server answered: the stream is open, whether or not an entry comes soon.
            onHeader: () =>
              this.setConnection(reconnect ? `Reconnected: resumed after entry ${resumedAfter}. Live.` : "Live: new notifications appear here.", "connection-live"),
          },
        );
        for await (const message of stream) {
          if (signal.aborted) {
            return;
          }
          failures = 0;
          this.apply(message);
        }
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        const trouble = troubleOf(error);
        if (trouble.kind === "signed-out") {
          this.events.signedOut(trouble.message);
          return;
        }
        if (trouble.kind === "denied") {
          this.setConnection(trouble.message, "connection-lost");
          return;
        }
        if (trouble.kind === "expired-sequence") {
          await this.reload().catch(() => undefined);
          continue;
        }
        failures++;
        this.setConnection(`Connection lost: reconnecting (attempt ${failures}). Notifications after entry ${this.lastSequence} will follow.`, "connection-lost");
      }
      await delay(retryDelays[Math.min(failures, retryDelays.length - 1)], signal);
    }
  }

  private apply(message: WatchNotificationsResponse): void {
    const event = message.event;
    this.unreadCount = message.unreadCount;
    switch (event.case) {
      case "heartbeat":
        this.lastSequence = event.value.lastSequence > this.lastSequence ? event.value.lastSequence : this.lastSequence;
        this.renderUnread();
        return;
      case "notification": {
        const notification = event.value;
        this.lastSequence = notification.sequence;
        this.notifications.set(notification.sequence, notification);
        this.announce(
          `${notification.priority === NotificationPriority.HIGH ? "High priority: " : ""}${notification.title} (${notification.contactDisplayName || notification.contactId}).`,
        );
        this.render();
        this.events.entry(notification.contactId);
        return;
      }
      case "change": {
        const change = event.value;
        this.lastSequence = change.sequence;
        const known = this.notifications.get(change.notificationSequence);
        const notification = change.notification ?? known;
        if (notification) {
          this.notifications.set(change.notificationSequence, notification);
          this.announce(`${notification.title} (${notification.contactDisplayName || notification.contactId}) ${changeText[change.kind]}.`);
          this.render();
          this.events.entry(notification.contactId);
        } else {
          this.renderUnread();
        }
        return;
      }
      default:
        this.renderUnread();
    }
  }

  private async markRead(notification: Notification): Promise<void> {
    try {
      await this.api.notifications.markNotificationsRead({ tenantId: this.session.tenant, inbox: this.inboxRef(), sequences: [notification.sequence] });
    } catch (error) {
      const trouble = troubleOf(error);
      if (trouble.kind === "signed-out") {
        this.events.signedOut(trouble.message);
      } else {
        this.announce(`Could not mark it read: ${trouble.message}`);
      }
    }
  }

  private setConnection(text: string, state: string): void {
    this.connection.className = `connection ${state}`;
    this.connection.dataset.state = state;
    replace(this.connection, text);
  }

  private announce(text: string): void {
    replace(this.announcer, text);
  }

  private renderUnread(): void {
    replace(this.unread, `${this.unreadCount} unread`);
    document.title = this.unreadCount > 0 ? `(${this.unreadCount}) Handoff` : "Handoff";
  }

  private render(): void {
    this.renderUnread();
    const focused = (document.activeElement as HTMLElement | null)?.dataset.key;
    const newestFirst = [...this.notifications.values()].sort((a, b) => Number(b.sequence - a.sequence));
    replace(
      this.list,
      newestFirst.length === 0 ? h("li", { class: "muted" }, "Nothing yet.") : newestFirst.map((n) => this.renderNotification(n)),
    );
    if (focused) {
      this.list.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus();
    }
  }

  private renderNotification(n: Notification): HTMLElement {
    const high = n.priority === NotificationPriority.HIGH;
    const name = n.contactDisplayName || n.contactId;
    const classes = ["notification", high ? "notification-high" : "", n.read ? "" : "notification-unread", n.resolved ? "notification-resolved" : ""];
    return h(
      "li",
      { class: classes.filter(Boolean).join(" "), "data-sequence": String(n.sequence), "data-contact": n.contactId },
      h(
        "p",
        { class: "notification-head" },
        high ? h("span", { class: "badge badge-high" }, "HIGH PRIORITY") : null,
        n.read ? null : h("span", { class: "badge badge-unread" }, "Unread"),
        n.resolved ? h("span", { class: "badge badge-resolved" }, resolutionText[n.resolution]) : null,
      ),
      h("p", { class: "notification-title" }, h("strong", {}, n.title), ` · ${name}`),
      h("p", { class: "notification-summary" }, n.summary),
      h("p", { class: "muted" }, `${n.reasons.map((r) => reasonText[r]).join(", ")} · ${formatTime(n.createTime ? timestampDate(n.createTime) : undefined)}`),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", "data-key": `open-${n.sequence}`, onclick: () => this.events.open(n.contactId) }, `Open ${name}`),
        n.read ? null : h("button", { type: "button", "data-key": `read-${n.sequence}`, onclick: () => this.markRead(n) }, "Mark read"),
      ),
    );
  }
}

function delay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
