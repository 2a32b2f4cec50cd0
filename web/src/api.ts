// The API's five clients over gRPC-Web (binary), each call carrying the signed-in person's token.

import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { apiBaseUrl } from "./config";
import type { Session } from "./auth";
import { ContactService } from "./gen/handoff/v1/contact_service_pb";
import { HandoffService } from "./gen/handoff/v1/handoff_service_pb";
import { NotificationService } from "./gen/handoff/v1/notification_service_pb";
import { OutreachService } from "./gen/handoff/v1/outreach_service_pb";

export interface Api {
  contacts: Client<typeof ContactService>;
  handoffs: Client<typeof HandoffService>;
  notifications: Client<typeof NotificationService>;
  outreach: Client<typeof OutreachService>;
}

export function createApi(session: Session): Api {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${session.token}`);
    return next(request);
  };
  const transport = createGrpcWebTransport({ baseUrl: apiBaseUrl, useBinaryFormat: true, interceptors: [bearer] });
  return {
    contacts: createClient(ContactService, transport),
    handoffs: createClient(HandoffService, transport),
    notifications: createClient(NotificationService, transport),
    outreach: createClient(OutreachService, transport),
  };
}
