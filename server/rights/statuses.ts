/** A request's statuses, as plain data the staff console shares (no server imports here). */
export const STATUSES = ["identity_unverified", "pending", "in_progress", "completed", "denied", "canceled", "closed_unverified"] as const;
export type Status = (typeof STATUSES)[number];
