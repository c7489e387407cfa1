import type { Right } from "../knowledge/types.js";

/**
 * What a chat message asks of the rights desk: an order to act on a right, a question about rights,
 * or nothing of the kind (including questions about the company's own practice).
 */
export type RightsIntent = { kind: "request"; rights: Right[] } | { kind: "question"; rights: Right[] } | { kind: "none" };

/** Human names for the rights, for reply text and the intake widget. */
export const RIGHT_LABELS: Record<Right, string> = {
  access: "Access (a copy of your data)",
  erasure: "Deletion (erasure)",
  rectification: "Correction (rectification)",
  portability: "Data portability (export)",
  restriction: "Restriction of processing",
  objection: "Objection to processing",
  withdraw_consent: "Withdrawal of consent",
  opt_out_sale: "Opt-out of sale or sharing",
};

/*
 * Vocabulary. Every pattern runs on normalised text (NFKC, lower case, straight quotes, single spaces).
 * Objects are deliberately owned ("my data", "everything you hold on me"): "do you delete chat logs?"
 * names no personal object and so never reads as a right.
 */
const WHO = String.raw`(?:you|your company|you guys|the company|they|we)`;
const HOLD = String.raw`(?:have|has|hold|store|keep|collect(?:ed)?|process|know|got|held|stored|gathered)`;
const ABOUT = String.raw`(?:about|on|of|for|related to|relating to|concerning|regarding|associated with|linked to)`;
const DATA_NOUN = String.raw`(?:personal |private |customer |user )?(?:data|information|informations|info|infos|details|records?|files?|pii)`;
const OWNED_NOUN = String.raw`(?:${DATA_NOUN}|profile|account|acount|accout|history|photos|pictures|messages|posts|comments|e-?mail address|address|adress|phone number|contact details|stuff)`;
const ATTRIBUTE = String.raw`(?:name|surname|first name|last name|full name|family name|address|adress|addres|e-?mail(?: address)?|phone(?: number)?|telephone(?: number)?|mobile(?: number)?|number|date of birth|birth ?date|birthday|dob|gender|title|postcode|post code|zip(?: code)?|details|data|information|informations|info|records?|profile)`;
const MY = String.raw`(?:(?:all|any)(?: of)? )?(?:my|our)(?: [\w'-]+){0,2}? `;
const MY_DATA = String.raw`${MY}${DATA_NOUN}\b`;
const MY_THING = String.raw`${MY}${OWNED_NOUN}\b`;
const MY_ATTRIBUTE = String.raw`${MY}${ATTRIBUTE}\b(?! (?:preferences|settings|password|subscription))`;
const DATA_ABOUT_ME = String.raw`(?:(?:all|any|the)(?: of)?(?: the)? )?${DATA_NOUN}(?: (?:that |which )?${WHO} ${HOLD}(?: stored)?)?(?: ${ABOUT} me\b)`;
const DATA_YOU_HOLD = String.raw`(?:(?:all|any|the)(?: of)?(?: the)? )?${DATA_NOUN} (?:that |which )?${WHO} ${HOLD}\b(?: ${ABOUT} me\b)?`;
const EVERYTHING = String.raw`(?:everything|all of it|anything|whatever)(?: (?:that |which )?${WHO} ${HOLD}(?: stored)?)?(?: ${ABOUT} me\b)?`;
const PERSONAL_OBJECT = String.raw`(?:${MY_THING}|${DATA_ABOUT_ME}|${DATA_YOU_HOLD}|${EVERYTHING})`;
const ACCESS_OBJECT = String.raw`(?:${MY_DATA}|${DATA_ABOUT_ME}|${DATA_YOU_HOLD}|${EVERYTHING})`;
const PRONOUN = String.raw`(?:it|them|this|that|those)\b`;

const ERASE = String.raw`(?:delet(?:e|ing)?|dlete|delte|eras(?:e|ing)|erace|remov(?:e|ing)|remvoe|wip(?:e|ing)|purg(?:e|ing)|destroy(?:ing)?|scrub(?:bing)?|get rid of)`;
const ERASED = String.raw`(?:completely |permanently |fully |all )?(?:deleted|erased|removed|wiped|purged|destroyed|forgotten)`;
const CORRECT = String.raw`(?:correct|fix|updat(?:e|ing)|amend|chang(?:e|ing)|rectify|edit|modify)(?:ing)?`;
const WRONG = String.raw`(?:wrong|incorrect|inaccurate|out of date|out-of-date|outdated|not (?:correct|accurate|right|up to date)|misspelt|misspelled|mistaken)`;
const GIVE = String.raw`(?:send|give|provide|e-?mail|mail|show|forward|tell|hand over|let me (?:see|have|know))`;
const MARKETING = String.raw`(?:marketing|profiling|advertis\w*|ads|newsletters?|promotions?|promotional|e-?mails?|mailings?|targeted|direct mail|spam)`;
const SALE = String.raw`(?:sales?|sel+ing|shar(?:e|ing)|disclos\w+)`;
const OPT_OUT = String.raw`(?:opt(?:ing)?|unsubscrib(?:e|ing))(?: me)?(?:[ -]?out)?`;

type CueForm = "action" | "state" | "noun";

interface RightVocabulary {
  /** Verb phrases: an order in imperative or request context, a question when framed by "how do I"/"can I". */
  action: string[];
  /** Actions whose object is only a pronoun ("delete it"): they count only if the message names some data. */
  pronounAction?: string[];
  /** Self-standing demands and complaints ("my address is wrong", "I don't want you to sell my data"). */
  state?: string[];
  /** Names of the right or of a request for it; an order only right after a request verb ("I request deletion"). */
  noun?: string[];
}

const VOCABULARY: Record<Right, RightVocabulary> = {
  erasure: {
    action: [
      `${ERASE} ${PERSONAL_OBJECT}`,
      String.raw`(?:clos(?:e|ing)|deactivat(?:e|ing)|terminat(?:e|ing)|shut(?:ting)? down)(?: down)? ${MY}(?:account|acount|accout|profile)\b`,
      String.raw`forget (?:about )?me\b`,
      String.raw`(?:remove|delete|erase|take) me (?:from|off) (?:your |the |all )?(?:database|system|record|server|platform|site|website|service|app|file)s?\b`,
      String.raw`(?:want|wnat|like|need|wish|have|get|getting|having) (?:${MY_THING}|${DATA_ABOUT_ME}|${DATA_YOU_HOLD}|everything) (?:to be )?${ERASED}`,
    ],
    pronounAction: [`${ERASE} ${PRONOUN}`],
    state: [String.raw`${MY_THING} (?:must|should|needs? to|has to|have to) be (?:\w+ )?${ERASED}`],
    noun: [
      String.raw`(?:data |account |profile |personal data )?(?:deletion|erasure)\b`,
      String.raw`right to (?:be forgotten|erasure|deletion|delete)`,
      String.raw`to be forgotten\b`,
    ],
  },
  access: {
    action: [
      String.raw`${GIVE}(?: me)?(?: with)? (?:a |an |the )?(?:full |complete |electronic |digital )?(?:copy|copies|list|overview|summary|report|printout)(?: of)? ${ACCESS_OBJECT}`,
      String.raw`(?:(?:a|an|full|complete) )?cop(?:y|ies) of ${ACCESS_OBJECT}`,
      String.raw`${GIVE} me (?:back )?(?:${ACCESS_OBJECT}|everything)`,
      String.raw`(?:send|give|provide|e-?mail|mail|forward|hand over) ${MY_DATA}`,
      String.raw`(?:see|view|know|find out|learn|check|review|access|obtain|get|receive) (?:what|which|all|everything|whatever)(?: personal)?(?: data| information| info| details)? (?:that |which )?(?:${WHO}|is|are|is being|are being) ${HOLD}(?: stored)?(?: ${ABOUT})? me\b`,
      String.raw`(?:get|receive|obtain|retrieve|download|request)(?: a copy of| all of| all)? ${MY_DATA}(?! (?:to be )?(?:deleted|erased|removed|wiped|corrected|updated|fixed|changed|amended|transferred|exported|moved|sold|shared|restricted))`,
      String.raw`ac+ess?(?: to)? ${ACCESS_OBJECT}`,
    ],
    pronounAction: [String.raw`${GIVE} me (?:a |an )?(?:full |complete )?cop(?:y|ies)\b`],
    noun: [
      String.raw`(?:data )?subject access request`,
      String.raw`\b(?:dsar|sar)\b`,
      String.raw`access request`,
      String.raw`right (?:of|to) access`,
      String.raw`right to know\b`,
      String.raw`article 15\b`,
      String.raw`what (?:personal )?(?:data |information |info |details )?(?:do |does |have |did )?${WHO} ${HOLD}(?: stored)?(?: ${ABOUT})? me\b`,
    ],
  },
  rectification: {
    action: [
      String.raw`${CORRECT} (?:the |an? )?(?:(?:wrong|incorrect|inaccurate|outdated|old|misspelt|misspelled) )?(?:${MY_ATTRIBUTE}|(?:information|data|details|entries|entry|info|records?) ${ABOUT} me\b)`,
    ],
    pronounAction: [String.raw`(?:correct|fix|update|amend|rectify) ${PRONOUN}`],
    state: [
      String.raw`${MY}${ATTRIBUTE}\b[^.!?;]{0,40}?\b(?:is|are|was|were|'s|seems?|looks?)(?: still| now| completely| all)? ${WRONG}`,
      String.raw`(?:have|has|got|show|shows|list|lists) (?:the |an? )?(?:wrong|incorrect|inaccurate|outdated|old) ${ATTRIBUTE}\b`,
    ],
    noun: [
      String.raw`rectif\w*`,
      String.raw`right to (?:correct|correction)\w*`,
      String.raw`correction (?:request|of (?:my |personal |inaccurate )?(?:data|information|details))`,
    ],
  },
  portability: {
    action: [String.raw`(?:export|transfer|move|port|migrate|transmit)(?:ing)? ${PERSONAL_OBJECT}`],
    pronounAction: [String.raw`(?:export|transfer|port|migrate)(?:ing)? ${PRONOUN}`],
    noun: [String.raw`(?:data )?portab\w*`, String.raw`data export\b`, String.raw`right to (?:data )?portab\w*`],
  },
  restriction: {
    action: [
      String.raw`(?:restrict|limit|paus|suspend|freez|halt|block)(?:e|ing)? (?:the |all |any |further |your |my )?(?:processing|use|usage|using|handling)\b`,
      String.raw`(?:restrict|limit|paus|suspend|freez|halt)(?:e|ing)? (?:how|what) ${WHO} (?:use|process|handle|do with)`,
      String.raw`(?:restrict|limit|freez)(?:e|ing)? ${MY_THING}`,
    ],
    noun: [
      String.raw`restriction (?:of|on) (?:the )?(?:processing|use)`,
      String.raw`right to (?:restrict|restriction|limit)\w*`,
      String.raw`restriction request`,
    ],
  },
  objection: {
    action: [
      String.raw`object(?:ing)? to\b`,
      String.raw`(?:stop|cease|quit)(?:ping)? (?:using|processing|handling|analy[sz]ing|profiling|tracking|targeting|monitoring)\b`,
      String.raw`(?:stop|cease|quit)(?:ping)? (?:sending|e-?mailing|texting|calling|messaging|contacting|spamming) me\b`,
      String.raw`${OPT_OUT}\b(?=[^.!?;]{0,50}?\b${MARKETING}\b)(?![^.!?;]{0,50}?\b(?:${SALE}|consent)\b)`,
      String.raw`unsubscrib(?:e|ing)(?: me)?(?= *(?:[.!?;]|$))`,
      String.raw`(?:remove|take|delete|unsubscribe) me (?:from|off)(?: of)? (?:your |the |all |any )?(?:[\w-]+ ){0,2}?(?:marketing|mailing|e-?mail|newsletter|promotional|advertising|sms|text|call|contact)(?: [\w-]+)? lists?`,
    ],
    state: [
      String.raw`(?:don't|do not|dont|no longer|never) (?:want|wish|need|like) (?:to (?:receive|get|be sent)|any)(?: more| further)?(?: of)?(?: your| these| those| the| any)? ${MARKETING}`,
      String.raw`no more ${MARKETING}`,
      String.raw`(?:don't|do not|dont|never) (?:ever )?send me (?:any )?(?:more |further |other )?${MARKETING}`,
    ],
    noun: [String.raw`right to object`, String.raw`objection (?:to|against)`],
  },
  withdraw_consent: {
    action: [
      String.raw`(?:withdraw|withdrew|revok|retract|rescind|take back|pull|cancel)(?:e|ing)? (?:all |any )?(?:of )?(?:my |the |our )?(?:[\w-]+ )?consent`,
      String.raw`${OPT_OUT}\b(?![^.!?;]{0,50}?\b(?:${SALE}|${MARKETING}|cookies?)\b)(?=[^.!?;]{0,50}?\b(?:processing|consent|data|all)\b)`,
    ],
    noun: [String.raw`withdrawal of (?:my )?consent`, String.raw`consent withdrawal`, String.raw`right to withdraw`],
  },
  opt_out_sale: {
    action: [
      String.raw`(?:stop|cease|quit|end)(?:ping)? (?:the )?(?:sel+ing|sharing|sale of|disclosing|renting|trading)\b`,
      String.raw`(?:do not|don't|dont|never|not to) (?:ever )?(?:sell|share|disclose|rent|trade)\b`,
      String.raw`${OPT_OUT}(?: of| from)?(?: the| any| all)? (?:${SALE})\b`,
      String.raw`(?:stop|prevent|prohibit|block) (?:you |your company |them )?from (?:sel+ing|sharing)`,
    ],
    state: [
      String.raw`(?:don't|do not|dont|never|no longer) (?:want|wish|allow|consent to)(?: you| your company| them| anyone)?(?: to)? (?:sell|share|selling|sharing)\b`,
    ],
    noun: [
      String.raw`do[- ]not[- ]sell`,
      String.raw`right to opt[- ]out of (?:the )?(?:sale|sharing|selling)`,
      String.raw`opt[- ]out of (?:the )?sale`,
    ],
  },
};

interface Cue {
  right: Right;
  form: CueForm;
  pattern: RegExp;
  needsDataContext: boolean;
}

const CUES: Cue[] = Object.entries(VOCABULARY).flatMap(([right, vocabulary]) => {
  const compile = (form: CueForm, sources: string[] = [], needsDataContext = false): Cue[] =>
    sources.map((source) => ({
      right: right as Right,
      form,
      pattern: new RegExp(String.raw`\b${source}`, "g"),
      needsDataContext,
    }));
  return [
    ...compile("action", vocabulary.action),
    ...compile("action", vocabulary.pronounAction, true),
    ...compile("state", vocabulary.state),
    ...compile("noun", vocabulary.noun),
  ];
});

/* Context cues: what surrounds a right decides whether it is ordered, asked about, or neither. */

/** Words that carry no meaning for intent at the start of a clause (greetings, fillers, "please"). */
const LEADING_FILLER =
  /^(?:(?:hi|hello|hey|ok|okay|so|well|also|and|but|then|now|yes|yeah|sorry|thanks|thank you|please|pls|plz|kindly|just|dear [\p{L}]+)\b[\s,!.:-]*|[\p{L}'-]+(?: [\p{L}'-]+)?\s*,\s+)/u;
const INTERROGATIVE_START =
  /^(?:how|what|what's|whats|which|when|where|why|who|whom|whose|can|could|may|might|do(?! not\b)|does|did|is|are|am|was|were|will|would|should|shall|have|has|had|isn't|aren't|doesn't|didn't|won't|can't|if|any)\b/;
/** "When you get this, please ..." opens with a clause, not a question, unless the sentence asks. */
const ADVERBIAL_START = /^(?:if|when)\b/;
/** "Can you ...?" is a polite order, not a question. */
const POLITE_REQUEST_START = /^(?:(?:can|could|would|will|won't|may) (?:you|u)\b|would you mind\b)/;
const INFO_SEEKING = /\b(?:tell me|explain|describe|list|information (?:on|about)|learn|understand|know more|curious|wondering|wonder)\b/;
/** The visitor asks about their own ability ("how do I", "can I", "is it possible to"): a question about the right. */
const AGENCY_FRAME =
  /\b(?:how (?:do|can|could|should|would|might|may|to|does one|would one)|how (?:i|we)|(?:can|could|may|might|should|shall|do|would|am|will) (?:i|we)|(?:i|we) (?:can|could|may)|(?:possible|able|allowed|entitled|permitted|eligible) to|right to|rights? of|what (?:can|should|do) (?:i|we)|(?:where|who) (?:can|do|should|would) (?:i|we)|if (?:i|we)|process (?:for|to)|steps? to|way to|procedure)\b/g;
/** Subordinate clauses that make a verb reported rather than ordered ("what happens when you delete"). */
const SUBORDINATOR = /\b(?:how|what|whether|if|why|when|where|which|who)\b/g;
const NEGATION =
  /\b(?:not|never|no|nor|neither|without|don't|dont|doesn't|didn't|won't|wouldn't|can't|cannot|isn't|aren't|shouldn't)\b|n't\b/g;
/** Order cues that may stand anywhere before the right in its sentence. */
const ORDER_CUE = new RegExp(
  [
    String.raw`\b(?:please|pls|plz|kindly)\b`,
    String.raw`\b(?:i|we)(?: really| also| hereby| formally| kindly)? (?:want|wnat|wanna|need|wish|demand|require|request|ask|insist|expect)\b`,
    String.raw`\bi(?:'d| would| should)(?: really)? (?:like|love|prefer|want)\b`,
    String.raw`\byou to\b`,
    String.raw`\bi(?:'m| am) (?:hereby |formally )?(?:requesting|asking|demanding|writing to|contacting you to|making|submitting|filing|sending|exercising|invoking)\b`,
    String.raw`\bthis is (?:a|an|my)\b`,
    String.raw`\b(?:exercis|invok)(?:e|ing) my\b`,
    String.raw`\bi hereby\b`,
    String.raw`\byou (?:must|should|need to|have to|are required to)\b`,
    String.raw`\bmake sure (?:you|that)\b`,
  ].join("|"),
);
/** A clause that starts with the verb is an imperative. */
const IMPERATIVE_LEAD =
  /^(?:(?:please|pls|plz|kindly|just|now|also|then|so|ok|okay|hi|hello|hey|yes|yeah|and|immediately|asap|simply|dear \w+)[\s,!]*)*$/;
/** "I withdraw my consent", "I object to ...", "I'm revoking ...": performative first person. */
const PERFORMATIVE_LEAD = /\b(?:i|we)(?: hereby| formally| now| also| explicitly| therefore| (?:am|'m|are))* *$/;
/** A right's name is ordered only when a request verb governs it ("I request deletion", "this is a subject access request"). */
const NOUN_ORDER_LEAD =
  /\b(?:request|requesting|submit|submitting|make|making|file|filing|want|need|demand|like|start|initiate|open|process|exercise|exercising|invoke|invoking|is|for)(?: (?:a|an|my|the|to|for|formal|gdpr|ccpa|this|full))* *$/;
/** "exercise my right to" is an order, so it must not read as the question frame "right to". */
const EXERCISED_RIGHT = /\b(?:exercis|invok|us)(?:e|ing) (?:my |the |our )?rights? (?:to|of)\b/g;
const CLAUSE_BOUNDARY = /[,:()]|\s-\s|\b(?:and|but|so|however|although|though|because|also|then|plus)\b/g;
const NEGATION_WINDOW_WORDS = 5;
/** Hedges that look negative but introduce a question ("I'm not sure how to ...", "I don't know whether ..."). */
const HEDGE = /\b(?:not sure|unsure|no idea|don't know|do not know|dont know|can't find|cannot find|can't figure out)\b/g;

const GENERIC_RIGHTS =
  /\b(?:(?:my|our|your|the|what|which|any|privacy|data|consumer|user|individual|gdpr|ccpa|cpra|legal|these|those|other|protection) (?:privacy |data |protection |legal |consumer )?rights\b(?! reserved)|rights (?:do|does|i|we|under|as|that|regarding|about|in)\b|data subject rights|(?:privacy|gdpr|ccpa|consumer) (?:rights )?requests?\b)/;
/** A copy asked for in a portable form is a portability request, not an access request. */
const PORTABLE_FORM =
  /\b(?:machine[- ]readable|csv|json|xml|structured(?:,)? (?:commonly used )?format|(?:to|into) (?:another|a new|a different|my new|a competing|a competitor|a rival|a competitor's)\b|move to|switch(?:ing)? to)/;
const DATA_CONTEXT =
  /\b(?:data|information|info|details|account|acount|profile|records?|address|adress|e-?mail|phone|name|surname|number|birth|consent)\b/;

interface Hit {
  right: Right;
  at: number;
}

/**
 * Decides whether a chat message orders the exercise of a privacy right, asks about rights, or neither.
 * Pure and synchronous; rights come most prominent (earliest) first.
 *
 * @example
 * classifyRightsIntent("Hola! Please delete my data. Gracias"); // { kind: "request", rights: ["erasure"] }
 * classifyRightsIntent("How do I delete my data?");             // { kind: "question", rights: ["erasure"] }
 * classifyRightsIntent("Do you delete chat logs after a year?"); // { kind: "none" }
 */
export function classifyRightsIntent(message: string): RightsIntent {
  const text = normalise(message);
  if (text === "") return { kind: "none" };
  const hasDataContext = DATA_CONTEXT.test(text);
  const orders: Hit[] = [];
  const mentions: Hit[] = [];
  let asksAboutRights = false;

  for (const { sentence, offset } of sentences(text)) {
    const start = stripLeadingFiller(sentence);
    const interrogative = INTERROGATIVE_START.test(start) && (!ADVERBIAL_START.test(start) || sentence.endsWith("?"));
    const politeRequest = POLITE_REQUEST_START.test(start);
    const questionLike = interrogative || sentence.endsWith("?") || INFO_SEEKING.test(sentence);
    const portable = PORTABLE_FORM.test(sentence);
    if (questionLike && GENERIC_RIGHTS.test(sentence)) asksAboutRights = true;

    for (const cue of CUES) {
      if (cue.needsDataContext && !hasDataContext) continue;
      for (const match of sentence.matchAll(cue.pattern)) {
        const right = portable && cue.right === "access" ? "portability" : cue.right;
        const reading = readCue(sentence, match.index, cue.form, { interrogative, politeRequest });
        if (reading === "order") orders.push({ right, at: offset + match.index });
        if (reading === "mention") mentions.push({ right, at: offset + match.index });
      }
    }
  }

  if (orders.length > 0) return { kind: "request", rights: byPosition(orders) };
  if (mentions.length > 0 || asksAboutRights) return { kind: "question", rights: byPosition(mentions) };
  return { kind: "none" };
}

type Reading = "order" | "mention" | "ignore";

/**
 * Reads one right found in a sentence from what precedes it. Negation is checked first so that
 * "I don't want to know how ..." and "I'm not asking you to ..." never become orders; a frame about the
 * visitor's own ability ("how do I") makes a question; a question about practice ("do you ...") is ignored.
 */
function readCue(
  sentence: string,
  at: number,
  form: CueForm,
  { interrogative, politeRequest }: { interrogative: boolean; politeRequest: boolean },
): Reading {
  const before = sentence.slice(0, at);
  const clauseStart = lastEnd(before, CLAUSE_BOUNDARY);
  const clause = before.slice(clauseStart);

  const negationAt = lastNegation(clause);
  const agencyAt = lastEnd(
    before.replace(EXERCISED_RIGHT, (phrase) => " ".repeat(phrase.length)),
    AGENCY_FRAME,
    -1,
  );
  if (negationAt >= 0 && clauseStart + negationAt > agencyAt) return "ignore";
  if (agencyAt >= 0) return "mention";
  if (interrogative && !politeRequest) return form === "noun" ? "mention" : "ignore";
  if (lastEnd(clause, SUBORDINATOR, -1) >= 0) return "ignore";

  const trimmed = clause.trim();
  switch (form) {
    case "state":
      return "order";
    case "noun":
      return NOUN_ORDER_LEAD.test(trimmed) ? "order" : "mention";
    case "action":
      if (politeRequest || IMPERATIVE_LEAD.test(trimmed) || PERFORMATIVE_LEAD.test(trimmed) || ORDER_CUE.test(before)) return "order";
      return "ignore";
  }
}

/** Position of the last negation in the clause's final few words, or -1; hedges such as "not sure how" do not count. */
function lastNegation(clause: string): number {
  const blanked = clause.replace(HEDGE, (hedge) => " ".repeat(hedge.length));
  const words = [...blanked.matchAll(/\S+/g)];
  const windowStart = words.at(-NEGATION_WINDOW_WORDS)?.index ?? 0;
  const end = lastEnd(blanked.slice(windowStart), NEGATION, -1);
  return end < 0 ? -1 : windowStart + end;
}

/** End offset of the last match of a global pattern in text, or `none`. */
function lastEnd(text: string, pattern: RegExp, none = 0): number {
  let end = none;
  for (const match of text.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}

function stripLeadingFiller(sentence: string): string {
  let rest = sentence.trim();
  for (let step = 0; step < 4; step++) {
    const stripped = rest.replace(LEADING_FILLER, "");
    if (stripped === rest) break;
    rest = stripped;
  }
  return rest;
}

function sentences(text: string): { sentence: string; offset: number }[] {
  const result: { sentence: string; offset: number }[] = [];
  for (const match of text.matchAll(/[^.!?;\n]+(?:[.!?;]+|$)/g)) {
    const sentence = match[0].trim();
    if (sentence !== "") result.push({ sentence, offset: match.index + match[0].length - match[0].trimStart().length });
  }
  return result;
}

function byPosition(hits: Hit[]): Right[] {
  return [...new Set([...hits].sort((a, b) => a.at - b.at).map((hit) => hit.right))];
}

function normalise(message: string): string {
  return message
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015]/g, "-")
    .replace(/\bgimme\b/g, "give me")
    .replace(/\bwanna\b/g, "want to")
    .replace(/\s+/g, " ")
    .trim();
}

/** The words by which a visitor takes back what follows them (narrower than NEGATION, which reads clauses). */
const TAKING_BACK = String.raw`(?:don'?t|do not|never|no need to|not asking(?: for| you to| to)?)`;

/** Whether a message holds a negation: "don't delete anything" is not an order to delete. */
export const NEGATED = new RegExp(String.raw`\b${TAKING_BACK}\b`, "i");

/** A negation and the clause it governs, up to the next punctuation: "dont erase my profile", "don't want a copy". */
const NEGATED_CLAUSE = new RegExp(String.raw`\b${TAKING_BACK}\s+(?:(?:want|need|wish)\s+(?:to\s+)?)?([^,.;!?]+)`, "gi");

/**
 * The rights a message's negations take back: "please don't erase my profile" negates erasure, "i don't want a copy"
 * access; "never want to hear from you again" names no right.
 */
export function negatedRights(message: string): Set<Right> {
  return new Set(
    [...message.matchAll(NEGATED_CLAUSE)].flatMap(([, clause]) => {
      const intent = classifyRightsIntent(clause ?? "");
      return intent.kind === "none" ? [] : intent.rights;
    }),
  );
}
