import { AppError } from "../errors.js";

import { OPEN_STATUSES, STATUSES, type Status } from "../contract/constants.js";

export { OPEN_STATUSES, STATUSES, type Status };

/** Who moves a request: the requester (by the e-mailed code), the privacy team, or the server's own sweeps. */
export type ActorKind = "requester" | "staff" | "system";

/** Every legal move, who may make it, and whether it needs a reason. Nothing else is allowed. */
export const TRANSITIONS = [
  { from: "identity_unverified", to: "pending", by: "requester", needsNote: false },
  { from: "identity_unverified", to: "closed_unverified", by: "system", needsNote: true },
  { from: "identity_unverified", to: "canceled", by: "staff", needsNote: false },
  { from: "pending", to: "in_progress", by: "staff", needsNote: false },
  { from: "pending", to: "denied", by: "staff", needsNote: true },
  { from: "pending", to: "canceled", by: "staff", needsNote: false },
  { from: "in_progress", to: "completed", by: "staff", needsNote: false },
  { from: "in_progress", to: "denied", by: "staff", needsNote: true },
  { from: "in_progress", to: "canceled", by: "staff", needsNote: false },
] as const satisfies ReadonlyArray<{ from: Status; to: Status; by: ActorKind; needsNote: boolean }>;

export function allowedTransitions(from: Status, by: ActorKind): Status[] {
  return TRANSITIONS.filter((t) => t.from === from && t.by === by).map((t) => t.to);
}

/** A move that has passed the guard, ready to be stamped on the request and written to the audit log. */
export interface Transition {
  from: Status;
  to: Status;
  actor: string;
  at: Date;
  note: string | null;
}

/**
 * Checks a move against the table: 409 INVALID_TRANSITION when it is not allowed for this actor,
 * 400 NOTE_REQUIRED when it needs a reason and none was given.
 */
export function guardTransition(from: Status, to: Status, by: ActorKind, actor: string, at: Date, note?: string | null): Transition {
  const rule = TRANSITIONS.find((t) => t.from === from && t.to === to && t.by === by);
  if (!rule) throw new AppError("INVALID_TRANSITION", [from, to]);
  const trimmed = note?.trim() || null;
  if (rule.needsNote && !trimmed) throw new AppError("NOTE_REQUIRED", [to]);
  return { from, to, actor, at, note: trimmed };
}
