// The tenant's active handoffs, the one waiting longest first: what a team lead scans, and a way to open a contact.

import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Api } from "./api";
import type { Session } from "./auth";
import { formatTime, h, replace } from "./dom";
import { troubleOf } from "./errors";
import { OwnerFilter, type ActiveHandoff } from "./gen/handoff/v1/handoff_service_pb";
import { reasonText } from "./labels";

export class ActiveHandoffs {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private loads = 0;

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly open: (contactId: string) => void,
    private readonly signedOut: (message: string) => void,
  ) {
    this.note = h("p", { id: "handoffs-note", class: "muted", role: "status" });
    this.list = h("ul", { id: "active-handoffs", class: "handoffs", "aria-labelledby": "handoffs-title" });
    this.element = h(
      "nav",
      { id: "handoffs", class: "handoffs-panel", "aria-labelledby": "handoffs-title" },
      h("h2", { id: "handoffs-title" }, "Active handoffs"),
      this.note,
      this.list,
    );
  }

  async refresh(): Promise<void> {
    const load = ++this.loads;
    try {
      const page = await this.api.handoffs.listActiveHandoffs({ tenantId: this.session.tenant, ownerFilter: OwnerFilter.ALL, pageSize: 100 });
      if (load !== this.loads) {
        return;
      }
      this.render(page.handoffs, page.nextPageToken.length > 0);
    } catch (error) {
      const trouble = troubleOf(error);
      if (trouble.kind === "signed-out") {
        this.signedOut(trouble.message);
      } else if (load === this.loads) {
        replace(this.note, `The list could not be loaded: ${trouble.message}`);
      }
    }
  }

  private render(handoffs: ActiveHandoff[], more: boolean): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset.key;
    replace(this.note, handoffs.length === 0 ? "No contact is waiting for a person." : `${handoffs.length}${more ? "+" : ""} waiting, longest first.`);
    replace(
      this.list,
      handoffs.map((handoff) => {
        const name = handoff.contactDisplayName || handoff.contactId;
        const link = h(
          "a",
          {
            href: `?contact=${encodeURIComponent(handoff.contactId)}`,
            "data-key": `handoff-${handoff.contactId}`,
            onclick: (e: Event) => {
              e.preventDefault();
              this.open(handoff.contactId);
            },
          },
          name,
        );
        return h(
          "li",
          { "data-contact": handoff.contactId },
          link,
          h("span", { class: "muted" }, ` · ${handoff.ownerUserId || "unassigned"} · ${handoff.reasons.map((r) => reasonText[r]).join(", ")} · since ${formatTime(handoff.createTime ? timestampDate(handoff.createTime) : undefined)}`),
        );
      }),
    );
    if (focused) {
      this.list.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus();
    }
  }
}
