// The contact sidebar: ownership, the SI Human Handoff card with its two buttons, the Auto-Engage toggle and Resume
// Outreach, the pause and the outbound queue. Every action names the card the screen shows; a stale screen is told
// so and shown the current card.

import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Api } from "./api";
import type { Session } from "./auth";
import { formatTime, h, replace } from "./dom";
import { troubleOf, type Trouble } from "./errors";
import { CardStatus, type Contact, type HandoffCard } from "./gen/handoff/v1/common_pb";
import { MessageStatus, type OutreachMessage } from "./gen/handoff/v1/outreach_service_pb";
import { channelText, denialText, messageStatusText, phaseText, reasonText, sourceText, stageText, trendText } from "./labels";

export interface SidebarEvents {
  /** This tab changed the contact: other tabs and the handoff list refresh. */
  changed(contactId: string): void;
  /** A call was refused for want of a valid sign-in. */
  signedOut(message: string): void;
}

export class Sidebar {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly alert: HTMLElement;
  private readonly status: HTMLElement;
  private readonly content: HTMLElement;
  private contactId = "";
  private contact: Contact | null = null;
  private messages: OutreachMessage[] = [];
  private busy = false;
  private loads = 0;

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly events: SidebarEvents,
  ) {
    this.input = h("input", { id: "contact-id", name: "contact", type: "text", required: true, autocomplete: "off", spellcheck: "false" });
    this.form = h(
      "form",
      { class: "open-contact", onsubmit: (e: Event) => this.onOpen(e) },
      h("label", { for: "contact-id" }, "Contact id"),
      this.input,
      h("button", { type: "submit" }, "Open"),
    );
    this.alert = h("div", { id: "sidebar-alert", role: "alert", class: "alert" });
    this.status = h("div", { id: "sidebar-status", role: "status", class: "status" });
    this.content = h("div", { class: "sidebar-content" }, h("p", { class: "muted" }, "Open a contact by its id, or from the inbox or the active handoffs."));
    this.element = h(
      "section",
      { id: "sidebar", class: "sidebar", "aria-labelledby": "sidebar-title", tabindex: "-1" },
      h("h2", { id: "sidebar-title", class: "visually-hidden" }, "Contact sidebar"),
      this.form,
      this.alert,
      this.status,
      this.content,
    );
  }

  get currentContactId(): string {
    return this.contactId;
  }

  /** Shows `contactId`, and puts it in the page's address so a reload or a shared link opens it again. */
  async open(contactId: string, options: { focus?: boolean } = {}): Promise<void> {
    this.contactId = contactId.trim();
    this.input.value = this.contactId;
    this.contact = null;
    this.messages = [];
    replace(this.alert);
    replace(this.status);
    const url = new URL(window.location.href);
    url.searchParams.set("contact", this.contactId);
    window.history.replaceState(null, "", url);
    await this.refresh();
    if (options.focus) {
      this.element.querySelector<HTMLElement>("#contact-title")?.focus();
    }
  }

  /** Asks for the contact and its queue again; a failure shows, and a later refresh clears it. */
  async refresh(): Promise<void> {
    if (!this.contactId) {
      return;
    }
    const load = ++this.loads;
    const contactId = this.contactId;
    try {
      const [contact, messages] = await Promise.all([
        this.api.contacts.getContact({ tenantId: this.session.tenant, contactId }),
        this.api.outreach.listMessages({ tenantId: this.session.tenant, contactId, pageSize: 50 }),
      ]);
      if (load !== this.loads || contactId !== this.contactId) {
        return;
      }
      this.contact = contact.contact ?? null;
      this.messages = messages.messages;
      if (this.alert.dataset.kind === "load") {
        replace(this.alert);
      }
      this.render();
    } catch (error) {
      if (load !== this.loads) {
        return;
      }
      if (ConnectError.from(error).code === Code.NotFound) {
        this.contact = null;
        replace(this.content, h("p", { class: "muted" }, `There is no contact "${contactId}" in ${this.session.tenant}.`));
        return;
      }
      this.show(troubleOf(error), "load");
    }
  }

  private onOpen(event: Event): void {
    event.preventDefault();
    if (this.input.value.trim()) {
      void this.open(this.input.value, { focus: true });
    }
  }

  private show(trouble: Trouble, kind: string): void {
    if (trouble.kind === "signed-out") {
      this.events.signedOut(trouble.message);
      return;
    }
    this.alert.dataset.kind = kind;
    this.alert.className = `alert alert-${trouble.kind}`;
    replace(this.alert, h("p", {}, trouble.message));
  }

  /** Runs one action on the card the screen shows; on a stale card, shows the current one with the reason. */
  private async act(what: string, done: string, call: (cardId: string) => Promise<{ contact?: Contact }>): Promise<void> {
    if (this.busy || !this.contact) {
      return;
    }
    this.busy = true;
    this.element.setAttribute("aria-busy", "true");
    replace(this.alert);
    replace(this.status, `${what}…`);
    const shownCard = this.contact.card?.cardId ?? "";
    try {
      const answer = await call(shownCard);
      if (answer.contact) {
        this.contact = answer.contact;
      }
      const messages = await this.api.outreach.listMessages({ tenantId: this.session.tenant, contactId: this.contactId, pageSize: 50 });
      this.messages = messages.messages;
      this.render();
      replace(this.status, done);
      this.events.changed(this.contactId);
    } catch (error) {
      const trouble = troubleOf(error);
      replace(this.status);
      this.show(trouble, "action");
      if (trouble.kind !== "stale") {
        // Back to what the server holds (a toggle the person flipped snaps back).
        this.render();
      } else {
        await this.refresh();
        this.element.querySelector(".card")?.classList.add("card-changed");
        this.element.querySelector<HTMLElement>("#card-title")?.focus();
      }
    } finally {
      this.busy = false;
      this.element.removeAttribute("aria-busy");
    }
  }

  private render(): void {
    const contact = this.contact;
    if (!contact) {
      return;
    }
    // The buttons are drawn anew: the one that had the focus gets it back, so a keyboard user stays where they were.
    const focused = (document.activeElement as HTMLElement | null)?.dataset.key;
    const pauseReason = this.element.querySelector<HTMLInputElement>("#pause-reason")?.value ?? "";
    const engagement = contact.engagement;
    const ownerText = contact.ownerUserId ? (contact.ownerUserId === this.session.user ? `${contact.ownerUserId} (you)` : contact.ownerUserId) : "Unassigned";
    replace(
      this.content,
      h("h2", { id: "contact-title", tabindex: "-1" }, contact.displayName || contact.contactId),
      h("p", { class: "muted" }, `Contact ${contact.contactId}`),
      h(
        "section",
        { class: "panel", "aria-labelledby": "ownership-title" },
        h("h3", { id: "ownership-title" }, "Ownership"),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Owner"),
          h("dd", { id: "owner" }, ownerText),
          h("dt", {}, "Stage"),
          h("dd", {}, stageText[contact.stage]),
          h("dt", {}, "Phase"),
          h("dd", {}, phaseText[contact.phase]),
          h("dt", {}, "Engagement"),
          h("dd", {}, engagement ? `${engagement.score} of 100, ${trendText[engagement.trend]}` : "no events yet"),
        ),
      ),
      this.renderCard(contact.card, pauseReason),
      this.renderAutoEngage(contact),
      this.renderOutreach(contact),
    );
    if (focused) {
      this.element.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus();
    }
  }

  private renderCard(card: HandoffCard | undefined, pauseReason: string): HTMLElement {
    if (!card) {
      return h("section", { class: "panel card card-none", "aria-labelledby": "card-title" }, h("h3", { id: "card-title", tabindex: "-1" }, "SI Human Handoff"), h("p", { class: "muted" }, "No handoff card: SI automation is handling this contact."));
    }
    const active = card.status === CardStatus.ACTIVE;
    const created = formatTime(card.createTime ? timestampDate(card.createTime) : undefined);
    const resolved = formatTime(card.resolveTime ? timestampDate(card.resolveTime) : undefined);
    return h(
      "section",
      { class: `panel card ${active ? "card-active" : "card-resolved"}`, "aria-labelledby": "card-title", "data-card-id": card.cardId },
      h("h3", { id: "card-title", tabindex: "-1" }, card.label),
      h(
        "p",
        { class: "card-state", id: "card-state" },
        active ? h("span", { class: "badge badge-active" }, "Active") : h("span", { class: "badge badge-resolved" }, "Resolved"),
        ` Card ${card.cardId}, version ${card.version}, raised ${created}`,
        active ? "" : `; resolved by ${card.resolvedByUserId || "the system"} ${resolved}`,
      ),
      h("p", { class: "summary" }, card.summary),
      h("h4", { id: "reasons-title" }, "Why a person is needed"),
      h(
        "ul",
        { class: "reasons", "aria-labelledby": "reasons-title" },
        card.reasons.map((reason) =>
          h("li", {}, h("strong", {}, reasonText[reason.reason]), h("ul", { class: "evidence" }, reason.evidence.map((line) => h("li", {}, line)))),
        ),
      ),
      active
        ? h(
            "div",
            { class: "card-actions" },
            h("label", { for: "pause-reason" }, "Why pause (optional, recorded with the pause)"),
            h("input", { id: "pause-reason", "data-key": "pause-reason", type: "text", value: pauseReason, maxlength: 200 }),
            h(
              "div",
              { class: "buttons" },
              h("button", { type: "button", class: "primary", "data-key": "resume", onclick: () => this.resume() }, "Resume SI Automation"),
              h("button", { type: "button", class: "danger", "data-key": "pause", onclick: () => this.pause() }, "Pause All Outreach"),
            ),
          )
        : null,
    );
  }

  private renderAutoEngage(contact: Contact): HTMLElement {
    return h(
      "section",
      { class: "panel", "aria-labelledby": "auto-engage-title" },
      h("h3", { id: "auto-engage-title" }, "Auto-Engage"),
      h(
        "div",
        { class: "switch" },
        h("input", {
          id: "auto-engage",
          type: "checkbox",
          role: "switch",
          "data-key": "auto-engage",
          checked: contact.autoEngage,
          "aria-describedby": "auto-engage-help",
          onchange: (e: Event) => this.setAutoEngage((e.target as HTMLInputElement).checked),
        }),
        h("label", { for: "auto-engage" }, `SI automation ${contact.autoEngage ? "on" : "off"}`),
      ),
      h("p", { id: "auto-engage-help", class: "muted" }, "While a card is active, SI's messages are held whatever this says."),
    );
  }

  private renderOutreach(contact: Contact): HTMLElement {
    const pause = contact.outreachPause;
    const held = this.messages.filter((m) => m.status === MessageStatus.HELD).length;
    return h(
      "section",
      { class: "panel", "aria-labelledby": "outreach-title" },
      h("h3", { id: "outreach-title" }, "Outreach"),
      pause?.paused
        ? h(
            "p",
            { id: "pause-state", class: "paused" },
            h("strong", {}, "All outreach is paused"),
            ` by ${pause.pausedByUserId} ${formatTime(pause.pauseTime ? timestampDate(pause.pauseTime) : undefined)}`,
            pause.reason ? `: “${pause.reason}”` : "",
          )
        : h("p", { id: "pause-state" }, "Outreach is not paused."),
      pause?.paused ? h("button", { type: "button", "data-key": "resume-outreach", onclick: () => this.resumeOutreach() }, "Resume Outreach") : null,
      h("h4", { id: "queue-title" }, `Queue: ${this.messages.length} message${this.messages.length === 1 ? "" : "s"}, ${held} held`),
      this.messages.length === 0
        ? h("p", { class: "muted" }, "Nothing queued.")
        : h(
            "ul",
            { class: "queue", "aria-labelledby": "queue-title" },
            this.messages.map((m) =>
              h(
                "li",
                { class: `message message-${m.status === MessageStatus.HELD ? "held" : "queued"}` },
                h("span", { class: "message-status" }, m.status === MessageStatus.HELD ? `Held (${denialText[m.holdReason]})` : messageStatusText[m.status]),
                ` ${channelText[m.channel]} from ${sourceText[m.source]}: ${m.subject || m.body}`,
              ),
            ),
          ),
    );
  }

  private resume(): Promise<void> {
    return this.act("Resuming SI automation", "SI automation resumed: the card is resolved and held messages are back in the queue.", (cardId) =>
      this.api.handoffs.resumeAutomation({ tenantId: this.session.tenant, contactId: this.contactId, cardId, actorUserId: this.session.user }),
    );
  }

  private pause(): Promise<void> {
    const reason = this.element.querySelector<HTMLInputElement>("#pause-reason")?.value.trim() ?? "";
    return this.act("Pausing all outreach", "All outreach is paused: every queued message is held. The card stays active.", (cardId) =>
      this.api.handoffs.pauseAllOutreach({ tenantId: this.session.tenant, contactId: this.contactId, cardId, actorUserId: this.session.user, reason }),
    );
  }

  private resumeOutreach(): Promise<void> {
    return this.act("Resuming outreach", "Outreach resumed.", (cardId) =>
      this.api.handoffs.resumeOutreach({ tenantId: this.session.tenant, contactId: this.contactId, cardId, actorUserId: this.session.user }),
    );
  }

  private setAutoEngage(enabled: boolean): Promise<void> {
    return this.act(enabled ? "Turning Auto-Engage on" : "Turning Auto-Engage off", `Auto-Engage is ${enabled ? "on" : "off"}.`, (cardId) =>
      this.api.contacts.setAutoEngage({ tenantId: this.session.tenant, contactId: this.contactId, enabled, cardId, actorUserId: this.session.user }),
    );
  }
}
