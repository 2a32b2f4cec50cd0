// What a refused or failed call means to the person at the page. The host sends google.rpc details with its errors
// (src/Handoff.Server/Errors): ErrorInfo's reason says what happened, PreconditionFailure names a stale card, and
// RequestInfo carries the id of the server's log line.

import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema, PreconditionFailureSchema, RequestInfoSchema } from "./gen/google/rpc/error_details_pb";

export type Trouble =
  | { kind: "stale"; message: string; currentCardId: string }
  | { kind: "signed-out"; message: string }
  | { kind: "denied"; message: string }
  | { kind: "offline"; message: string }
  | { kind: "expired-sequence"; message: string }
  | { kind: "other"; message: string };

/** The error an action or a stream failed with, in the page's words. */
export function troubleOf(error: unknown): Trouble {
  const connect = ConnectError.from(error);
  const info = connect.findDetails(ErrorInfoSchema)[0];
  const request = connect.findDetails(RequestInfoSchema)[0];
  const reference = request?.requestId ? ` (reference ${request.requestId})` : "";
  switch (connect.code) {
    case Code.FailedPrecondition:
      if (info?.reason === "STALE_CARD") {
        const violation = connect.findDetails(PreconditionFailureSchema)[0]?.violations[0];
        const current = info.metadata["currentCardId"] ?? "";
        return {
          kind: "stale",
          currentCardId: current,
          message:
            current.length > 0
              ? "This card changed while you were looking at it, so nothing was done. Here is the current card: read it and press again if it still applies."
              : `This card is no longer the contact's card, so nothing was done${violation ? ` (${violation.description})` : ""}.`,
        };
      }
      break;
    case Code.Unauthenticated:
      return { kind: "signed-out", message: "Your sign-in has ended or was not accepted. Sign in again." };
    case Code.PermissionDenied:
      return { kind: "denied", message: `You are not allowed to do this: ${connect.rawMessage}${reference}` };
    case Code.Unavailable:
    case Code.Unknown:
    case Code.Canceled:
    case Code.DeadlineExceeded:
      return { kind: "offline", message: "The connection to the server was lost." };
    case Code.OutOfRange:
      if (info?.reason === "AFTER_SEQUENCE_EXPIRED") {
        return { kind: "expired-sequence", message: "The inbox moved on while the page was away; it is loaded again." };
      }
      break;
  }
  return { kind: "other", message: `${connect.rawMessage}${reference}` };
}
