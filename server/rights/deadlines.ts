/**
 * Legal response deadlines, one row per regime with the provision it comes from. The clock starts at
 * receipt of the request (not at verification), which is the stricter reading for every row.
 */
export const DEADLINES = {
  /** GDPR Art. 12(3): "without undue delay and in any event within one month of receipt", extendable "by two further months". */
  GDPR: { label: "GDPR", period: { months: 1 }, extension: { months: 2 }, reference: "Regulation (EU) 2016/679 Art. 12(3)" },
  /** UK GDPR Art. 12(3), same wording as the EU text as retained in UK law. */
  UK_GDPR: { label: "UK GDPR", period: { months: 1 }, extension: { months: 2 }, reference: "UK GDPR Art. 12(3)" },
  /** CCPA/CPRA: respond within 45 days of receipt, extendable once by 45 days when reasonably necessary. */
  CCPA: { label: "CCPA/CPRA", period: { days: 45 }, extension: { days: 45 }, reference: "Cal. Civ. Code § 1798.130(a)(2)" },
  /** LGPD Art. 19 II: a complete answer within 15 days of the request; the law provides no extension. */
  LGPD: { label: "LGPD", period: { days: 15 }, extension: null, reference: "Lei 13.709/2018 Art. 19 II" },
  /** No specific statute recognised: the configured DEFAULT_DUE_DAYS, no extension. */
  DEFAULT: { label: "Default", period: { days: 30 }, extension: null, reference: "Company policy (DEFAULT_DUE_DAYS)" },
} as const satisfies Record<string, Deadline>;

export interface Period {
  months?: number;
  days?: number;
}

export interface Deadline {
  label: string;
  period: Period;
  extension: Period | null;
  reference: string;
}

export type Jurisdiction = keyof typeof DEADLINES;

/** EU member states and the other EEA members (Iceland, Liechtenstein, Norway), where the GDPR applies. */
const EEA: Record<string, string> = {
  AT: "austria",
  BE: "belgium",
  BG: "bulgaria",
  HR: "croatia",
  CY: "cyprus",
  CZ: "czechia",
  DK: "denmark",
  EE: "estonia",
  FI: "finland",
  FR: "france",
  DE: "germany",
  GR: "greece",
  HU: "hungary",
  IE: "ireland",
  IT: "italy",
  LV: "latvia",
  LT: "lithuania",
  LU: "luxembourg",
  MT: "malta",
  NL: "netherlands",
  PL: "poland",
  PT: "portugal",
  RO: "romania",
  SK: "slovakia",
  SI: "slovenia",
  ES: "spain",
  SE: "sweden",
  IS: "iceland",
  LI: "liechtenstein",
  NO: "norway",
};
const EEA_NAMES = new Set([...Object.values(EEA), "czech republic", "el", "holland", "the netherlands"]);

/**
 * The regime that sets the deadline, from the `country` field as typed: ISO codes ("DE", "GB", "BR",
 * "US-CA") or English names ("Germany", "United Kingdom", "California"). "CA" alone is Canada, not California.
 */
export function jurisdictionOf(country: string | null | undefined): Jurisdiction {
  if (!country) return "DEFAULT";
  const words = country
    .toLowerCase()
    .replace(/[^a-z]+/g, " ")
    .trim();
  const code = words.replace(/ /g, "").toUpperCase();
  if (EEA[code] || EEA_NAMES.has(words)) return "GDPR";
  if (["GB", "UK", "GBR"].includes(code) || /^(united kingdom|great britain|england|scotland|wales|northern ireland)( uk)?$/.test(words)) {
    return "UK_GDPR";
  }
  if (code === "USCA" || /\bcalifornia\b/.test(words)) return "CCPA";
  if (["BR", "BRA"].includes(code) || words === "brazil" || words === "brasil") return "LGPD";
  return "DEFAULT";
}

/** Adds calendar months, landing on the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addPeriod(from: Date, { months = 0, days = 0 }: Period): Date {
  const result = new Date(from.getTime());
  if (months) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(result.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
  }
  if (days) result.setUTCDate(result.getUTCDate() + days);
  return result;
}

export interface DeadlineOptions {
  defaultDueDays: number;
}

function periodOf(jurisdiction: Jurisdiction, { defaultDueDays }: DeadlineOptions): Period {
  return jurisdiction === "DEFAULT" ? { days: defaultDueDays } : DEADLINES[jurisdiction].period;
}

/** When a request received at `receivedAt` must be answered. */
export function dueDate(receivedAt: Date, jurisdiction: Jurisdiction, options: DeadlineOptions): Date {
  return addPeriod(receivedAt, periodOf(jurisdiction, options));
}

/** The due date after the one permitted extension, or null where the regime allows none. */
export function extendedDueDate(dueAt: Date, jurisdiction: Jurisdiction): Date | null {
  const { extension } = DEADLINES[jurisdiction];
  return extension ? addPeriod(dueAt, extension) : null;
}
