import { type Consultation, speaksOf } from "./knowledge/knowledge.js";
import { DEFAULT_ANSWER_POLICY, blockquote, isAnswerable, noAnswer, quoteBest, quotePointed, weighEvidence } from "./knowledge/answer.js";
import type { Scored } from "./knowledge/retrieve.js";
import type { AskReply, Knowledge, Right } from "./knowledge/types.js";
import { strongestTopic, type Understanding } from "./language/understand.js";
import { NEGATED, RIGHT_LABELS, type RightsIntent, classifyRightsIntent, negatedRights } from "./rights/intent.js";

/** The chat's brain: an order to exercise a right goes to the intake, anything else is answered from the policy. */
export interface Assistant {
  /** The reply; onAsked is told of it. */
  ask(question: string, site: string): Promise<AskReply>;
  /** The reply and the question's topic, onAsked not told (a worker thread answers this way; the server records). */
  answer(question: string, site: string): Promise<Answered>;
}

/** A reply with what insights record of the question: its topic when the language layer is sure of one. */
export interface Answered {
  reply: AskReply;
  topic: string | null;
}

/** What the intake form asks for. */
export const INTAKE_FIELDS = ["email", "name", "country", "details"];

export interface AssistantOptions {
  /** Overrides of the decision thresholds (design exploration in eval only). */
  decision?: Partial<typeof DECISION>;
  /** Told why each reply was chosen (eval --details). */
  explain?: (line: string) => void;
  /** Use the rule table alone for rights intent (the pre-language-layer behaviour, kept for comparison). */
  rulesOnly?: boolean;
  /** Told of each reply's outcome and the question's topic, for staff insights (the ask route records them). */
  onAsked?: (asked: { site: string; question: string; kind: AskReply["kind"]; topic: string | null }) => void;
}

/** Thresholds of the language layer's decisions; how they were chosen is in README.md, "The privacy-language layer". */
const DECISION = {
  /** At this probability the message is taken as an order to exercise a right. */
  request: 0.5,
  /**
   * A negation that names no right ("never want to see my name in your system again") vetoes an order below this
   * probability; one that names the ordered right ("don't erase my profile") always does. Chosen on our own training
   * questions, five-fold, out of fold (README).
   */
  negationSure: 0.8,
  /**
   * A message that is one question ("do insurers get my data from you") is an order only at this probability, or when
   * the rule table finds the order named. Chosen like negationSure: out of fold, 13 -> 9 of 1,210 messages taken as
   * orders, no order lost (0.8: 10).
   */
  questionSure: 0.9,
  /** Off-topic at this probability: the policy is not the place to answer. */
  offTopic: 0.5,
  /** A question this sure of its topic needs a passage carrying that topic. */
  topicSure: 0.5,
  /** A passage carries a topic at this probability. */
  carries: 0.3,
  /** Whether a carried topic answers even when the question's words are not the policy's (1) or only vetoes (0). */
  rescue: 0,
  /**
   * The answerability verifier overrules a refusal when one of the first `verifyFrom` passages answers at this
   * probability (0: the rules alone). The lowest value that keeps the seed set's abstentions (4/4).
   */
  verify: 0.6,
  verifyFrom: 3,
  /**
   * The verifier vetoes an answer when none of those passages answers at this probability, whatever the rules say
   * (0: no veto). The highest value that keeps the seed set's answers (27/30 in the top 3, none refused).
   */
  veto: 0.4,
  /** How many of the best passages compete for the quoted sentence. */
  quoteFrom: 2,
  /** The word-evidence rule's thresholds (server/knowledge/answer.ts). */
  minDense: DEFAULT_ANSWER_POLICY.minDense,
  minCoverage: DEFAULT_ANSWER_POLICY.minCoverage,
};

const bestSentence = (result: Scored) => Math.max(0, ...result.sentenceScores);

/**
 * A single question, opened by a question word ("do you…", "what…", "if i…"); not "can / could / would / will you…",
 * the polite form of an order. A message of several sentences ("what do u have on me? send it over") is not one.
 */
const ONE_QUESTION = /^(?:do|does|did|is|are|was|were|what|whats|how|hows|who|where|when|why|which|if)\b(?!.*[.?!]\s+\S)/is;

/**
 * The rights ordered in the positive ("send me", "delete", "fix"): a negation vetoes these. The others are
 * ordered by a negation ("don't sell", "don't use it until", "never contact me"), so it cannot veto them.
 */
const ORDERED_POSITIVELY: ReadonlySet<Right> = new Set(["access", "erasure", "rectification", "portability"]);

export function createAssistant(
  knowledge: Knowledge,
  { rulesOnly = false, explain, onAsked, decision: overrides }: AssistantOptions = {},
): Assistant {
  const decision = { ...DECISION, ...overrides };
  const answerQuestion = async (question: string, site: string): Promise<Answered> => {
    const consultation = await knowledge.consult(question, site);
    if (!consultation) throw new Error(`unknown site ${site}`);
    const rules = classifyRightsIntent(question);
    if (explain && consultation.understanding) {
      const u = consultation.understanding;
      const [topic, p] = strongestTopic(u.topics, consultation.topicIds);
      const evidence = weighEvidence(question, consultation.results, consultation.lexical);
      explain(
        `act=${u.act}:${u.actProbability.toFixed(2)} off=${u.offTopic.toFixed(2)} right=${u.right}:${u.rightProbability.toFixed(2)} topic=${topic}:${p.toFixed(2)} carried=${consultation.results.some((r) => carries(r, consultation.topicIds.indexOf(topic)))} answerable=${isAnswerable(evidence)} cov=${evidence.coverage.toFixed(2)} dense=${evidence.dense.toFixed(2)} unk=${evidence.unknown.toFixed(2)} verifier=${consultation.answerability.map((p) => p.toFixed(2)).join(",")}`,
      );
    }
    const intent =
      rulesOnly || !consultation.understanding
        ? fromRules(rules)
        : readIntent(consultation.question, consultation.understanding, rules, decision);
    let reply: AskReply;
    if (intent.request && intent.right) reply = rightsRequest(consultation, intent.right, intent.others);
    else {
      const answered = answer(consultation, rulesOnly, decision);
      reply = intent.right ? answerOnRight(consultation, intent.right, answered) : answered;
    }
    return { reply, topic: sureTopic(consultation, decision.topicSure) };
  };
  return {
    answer: answerQuestion,
    async ask(question, site) {
      const { reply, topic } = await answerQuestion(question, site);
      onAsked?.({ site, question, kind: reply.kind, topic });
      return reply;
    },
  };
}

export interface Intent {
  request: boolean;
  /** The right ordered, or asked about (an intake offer with the answer). */
  right?: Right;
  others: Right[];
}

function fromRules(rules: RightsIntent): Intent {
  if (rules.kind === "none") return { request: false, others: [] };
  return { request: rules.kind === "request", right: rules.rights[0], others: rules.rights.slice(1) };
}

/**
 * The classifier decides whether the message orders a right and, when the message only describes a situation,
 * which one; a right the rule table finds named outright ("delete", "correct") is taken as named. The rule table
 * also guards against negations ("don't delete anything") of the rights ordered in the positive, and a message that is
 * one question needs a surer classifier to be an order.
 */
export function readIntent(
  question: string,
  understanding: Pick<Understanding, "act" | "actProbability" | "right"> | undefined,
  rules: RightsIntent = classifyRightsIntent(question),
  decision: typeof DECISION = DECISION,
): Intent {
  if (!understanding) return fromRules(rules);
  const { act, actProbability } = understanding;
  // A right named only inside a negation ("not asking to delete, just show me") is not named.
  const negated = negatedRights(question);
  const named = rules.kind === "request" ? rules.rights.filter((right) => !negated.has(right)) : [];
  const right = named[0] ?? understanding.right;
  const ordered =
    (act === "request" &&
      actProbability >= decision.request &&
      !(rules.kind === "none" && ORDERED_POSITIVELY.has(right) && negates(question, negated, right, actProbability, decision)) &&
      !(ONE_QUESTION.test(question.trim()) && actProbability < decision.questionSure)) ||
    (rules.kind === "request" && act !== "off_topic" && act !== "rights_question");
  if (ordered) return { request: true, right, others: named.filter((other) => other !== right) };
  if (act === "rights_question")
    return {
      request: false,
      right: rules.kind === "question" ? (rules.rights[0] ?? understanding.right) : understanding.right,
      others: [],
    };
  return { request: false, others: [] };
}

/**
 * Whether the message's negation takes back the order of `right`: by naming it (`negated`, the rights its negations
 * name), or naming none when the order is unsure.
 */
function negates(question: string, negated: Set<Right>, right: Right, actProbability: number, decision: typeof DECISION): boolean {
  return negated.has(right) || (negated.size === 0 && NEGATED.test(question) && actProbability < decision.negationSure);
}

function answer(consultation: Consultation, rulesOnly: boolean, decision: typeof DECISION): AskReply {
  const { results, site, cite } = consultation;
  const top = results[0];
  if (!top) return noAnswer(site);
  if (!answerable(consultation, rulesOnly, decision)) return noAnswer(site);
  // The quote comes from whichever of the first passages holds the best-answering sentence; it is cited first.
  const contenders = results.slice(0, decision.quoteFrom);
  const quoted = contenders.reduce((best, result) => (bestSentence(result) > bestSentence(best) ? result : best), top);
  const section = quoted.chunk.sectionPath.at(-1) ?? quoted.chunk.title;
  return {
    kind: "answer",
    text: `${blockquote(quoteBest(quoted))}\n\n— *${quoted.chunk.title}*, section “${section}” [1]`,
    citations: [quoted, ...results.filter((result) => result !== quoted)].slice(0, 3).map(cite),
  };
}

/**
 * Whether the policy answers: off-topic questions never; a question whose topic the layer is sure of, when a
 * retrieved passage carries that topic (whatever words it uses) and the lexical and dense evidence holds; otherwise
 * that evidence alone. A passage the answerability verifier is sure of answers even when those rules refuse; when it
 * finds none likely to answer, nothing does.
 */
function answerable(consultation: Consultation, rulesOnly: boolean, decision: typeof DECISION): boolean {
  const { results, understanding, topicIds, question, lexical, answerability } = consultation;
  const evidence = isAnswerable(weighEvidence(question, results, lexical), {
    ...DEFAULT_ANSWER_POLICY,
    minDense: decision.minDense,
    minCoverage: decision.minCoverage,
  });
  if (!understanding || rulesOnly) return evidence;
  if (understanding.offTopic >= decision.offTopic) return false;
  const likeliest = Math.max(0, ...answerability.slice(0, decision.verifyFrom));
  if (decision.veto > 0 && likeliest < decision.veto) return false;
  const verified = decision.verify > 0 && likeliest >= decision.verify;
  const [topic, sure] = strongestTopic(understanding.topics, topicIds);
  if (sure < decision.topicSure) return evidence || verified;
  const carried = results.some(
    (result) => carries(result, topicIds.indexOf(topic), decision.carries) || speaksOf(result.chunk, consultation.topicWords[topic] ?? ""),
  );
  return (decision.rescue ? carried : evidence && carried) || verified;
}

function rightsRequest(consultation: Consultation, right: Right, others: Right[]): AskReply {
  const { site, cite } = consultation;
  const onRight = passagesOn(consultation, right);
  const citations = onRight.length > 0 ? onRight.slice(0, 2) : contactPassage(consultation);
  const said = citations[0]
    ? `\n\nWhat *${site.title}* says:\n\n${blockquote(onRight.length > 0 ? quoteOn(citations[0], right) : quoteBest(citations[0]))} [1]`
    : "";
  const also = others.map((other) => RIGHT_LABELS[other].toLowerCase());
  return {
    kind: "rights_request",
    right,
    text:
      `It sounds like you want to exercise your right of **${RIGHT_LABELS[right].toLowerCase()}**` +
      (also.length ? ` (and also: ${also.join(", ")})` : "") +
      `. Fill in the short form below: we send a 6-digit code to your e-mail to confirm it is you, ` +
      `then ${site.organization}'s privacy team receives your request with its legal due date.${said}`,
    citations: citations.map(cite),
    intake: { right, site: site.site, fields: INTAKE_FIELDS },
  };
}

/** A question about a right is answered from the policy's passage on that right, with an offer of the form. */
function answerOnRight(consultation: Consultation, right: Right, fallback: AskReply): AskReply {
  const [onRight] = passagesOn(consultation, right);
  const intake = { right, site: consultation.site.site, fields: INTAKE_FIELDS };
  if (!onRight) return fallback.kind === "answer" ? { ...fallback, intake } : fallback;
  const first = consultation.cite(onRight);
  const rest = fallback.citations.filter((citation) => citation.text !== first.text);
  return {
    kind: "answer",
    text: `${blockquote(quoteOn(onRight, right))}\n\n— *${onRight.chunk.title}*, section “${onRight.chunk.sectionPath.at(-1) ?? onRight.chunk.title}” [1]`,
    citations: [first, ...rest].slice(0, 3),
    intake,
  };
}

/** Words policies use for each right: a rule-only fallback when no language layer tags passages. */
const RIGHT_WORDS: Record<Right, RegExp> = {
  access: /\baccess\b|\bcopy\b/i,
  erasure: /\beras|forgotten|delet/i,
  rectification: /rectif|correct/i,
  portability: /portab/i,
  restriction: /restrict/i,
  objection: /object/i,
  withdraw_consent: /withdraw/i,
  opt_out_sale: /\bsell|\bsold\b|sale of (your )?personal/i,
};

/** A sentence that introduces a right as such: "The right to ...", "You have the right to ...", "Withdrawal of consent." */
const NAMES_A_RIGHT = /^(the |you have the |you have a )?right\b|^withdraw/i;

/** The retrieved passages on a right, those that name it as a right first; from the same retrieval, no second search. */
function passagesOn({ candidates, topicIds }: Consultation, right: Right): Scored[] {
  const topic = topicIds.indexOf(`right_${right}`);
  const names = (result: Scored) => result.sentences.some((sentence) => NAMES_A_RIGHT.test(sentence) && RIGHT_WORDS[right].test(sentence));
  const on = candidates.filter((result) => names(result) || (carries(result, topic) && RIGHT_WORDS[right].test(result.chunk.text)));
  return [...on.filter(names), ...on.filter((result) => !names(result))];
}

/** The passage holding the site's privacy contact address, when no passage speaks of the right. */
function contactPassage({ candidates, site }: Consultation): Scored[] {
  const found = site.contact ? candidates.find((result) => result.chunk.text.includes(site.contact as string)) : undefined;
  return found ? [found] : [];
}

/**
 * The sentence naming the right (and the next, when it is only a heading-like name; what follows, when it points
 * ahead: "you can exercise it as follows"), else the best-answering one.
 */
export function quoteOn(result: Pick<Scored, "sentences" | "sentenceScores" | "chunk">, right: Right): string {
  const { sentences } = result;
  const named = sentences.findIndex((sentence) => NAMES_A_RIGHT.test(sentence) && RIGHT_WORDS[right].test(sentence));
  const start = named >= 0 ? named : sentences.findIndex((sentence) => RIGHT_WORDS[right].test(sentence));
  if (start < 0) return quoteBest(result);
  const pointed = quotePointed(sentences, start, result.chunk);
  if (pointed) return pointed;
  const [first, second] = sentences.slice(start);
  return second && (first ?? "").split(" ").length < 12 ? `${first} ${second}` : (first ?? "");
}

function carries(result: Scored, topic: number, threshold = DECISION.carries): boolean {
  return topic >= 0 && (result.topics[topic] ?? 0) >= threshold;
}

/** The question's topic when the language layer is sure of one (the same bar the no-answer rule uses), else null. */
function sureTopic(consultation: Consultation, sure: number): string | null {
  if (!consultation.understanding) return null;
  const [topic, p] = strongestTopic(consultation.understanding.topics, consultation.topicIds);
  return topic && p >= sure ? topic : null;
}
