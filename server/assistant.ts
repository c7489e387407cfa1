import type { AskReply, Citation, Knowledge, Right } from "./knowledge/types.js";
import { passageSentences } from "./knowledge/sentences.js";
import { RIGHT_LABELS, classifyRightsIntent } from "./rights/intent.js";

/** The chat's brain: an order to exercise a right goes to the intake, anything else is answered from the policy. */
export interface Assistant {
  ask(question: string, site: string): Promise<AskReply>;
}

/** What the intake form asks for. */
export const INTAKE_FIELDS = ["email", "name", "country", "details"];

/** A sentence that introduces a right as such: "The right to ...", "You have the right to ...", "Withdrawal of consent." */
const NAMES_A_RIGHT = /^(the |you have the |you have a )?right\b|^withdraw/i;

/** How to find a policy's passage on each right, in the words policies use. */
const RIGHT_QUERIES: Record<Right, { query: string; mentions: RegExp }> = {
  access: { query: "right to access a copy of your personal data", mentions: /\baccess\b|\bcopy\b/i },
  erasure: { query: "right to erasure, to be forgotten: delete your personal data", mentions: /\beras|forgotten|delet/i },
  rectification: { query: "right to rectification: correct or update inaccurate personal data", mentions: /rectif|correct/i },
  portability: { query: "right to data portability: receive your data in a usable electronic format", mentions: /portab/i },
  restriction: { query: "right to restrict processing of your personal data", mentions: /restrict/i },
  objection: { query: "right to object to processing and direct marketing", mentions: /object/i },
  withdraw_consent: { query: "withdraw your consent at any time", mentions: /withdraw/i },
  opt_out_sale: {
    query: "we do not sell your personal information; opt out of sale",
    mentions: /\bsell|\bsold\b|sale of (your )?personal/i,
  },
};

export function createAssistant(knowledge: Knowledge): Assistant {
  /** The policy's passages on a right, best first; none when the policy never names it. */
  async function passagesOn(right: Right, site: string): Promise<Citation[]> {
    const { query, mentions } = RIGHT_QUERIES[right];
    const candidates = (await knowledge.search(query, site, 5)).filter((citation) => mentions.test(citation.text));
    // A passage that names the right as a right ("The right to be forgotten. ...") beats one that mentions it in passing.
    const namesRight = (citation: Citation) =>
      passageSentences(citation.text).some((sentence) => NAMES_A_RIGHT.test(sentence) && mentions.test(sentence));
    return [...candidates.filter(namesRight), ...candidates.filter((c) => !namesRight(c))].slice(0, 2);
  }

  /** Where the policy says how to reach the privacy team: the passage holding its contact address, if any. */
  async function contactPassage(site: string): Promise<Citation[]> {
    const contact = knowledge.site(site)?.contact;
    const found = await knowledge.search(
      `contact us with questions or requests about your personal data ${contact ?? "e-mail address"}`,
      site,
      10,
    );
    const withAddress = contact ? found.filter((citation) => citation.text.includes(contact)) : [];
    return (withAddress.length > 0 ? withAddress : found).slice(0, 1);
  }

  return {
    async ask(question, site) {
      const intent = classifyRightsIntent(question);
      const info = knowledge.site(site);
      if (intent.kind === "request" && info) {
        const right = intent.rights[0] as Right;
        const others = intent.rights.slice(1).map((other) => RIGHT_LABELS[other].toLowerCase());
        const onRight = await passagesOn(right, site);
        const citations = onRight.length > 0 ? onRight : await contactPassage(site);
        const said = citations[0]
          ? `\n\nWhat *${info.title}* says:\n\n> ${quoteOn(citations[0].text, onRight.length > 0 ? RIGHT_QUERIES[right].mentions : undefined)} [1]`
          : "";
        return {
          kind: "rights_request",
          right,
          text:
            `It sounds like you want to exercise your right of **${RIGHT_LABELS[right].toLowerCase()}**` +
            (others.length ? ` (and also: ${others.join(", ")})` : "") +
            `. Fill in the short form below: we send a 6-digit code to your e-mail to confirm it is you, ` +
            `then ${info.organization}'s privacy team receives your request with its legal due date.${said}`,
          citations,
          intake: { right, site, fields: INTAKE_FIELDS },
        };
      }
      const reply = await knowledge.ask(question, site);
      const offered = intent.kind === "question" ? intent.rights[0] : undefined;
      if (!offered || !info) return reply;
      // A question about a right ("how do I delete my data?") is answered from the policy's passage on that right.
      const [onRight, ...more] = await passagesOn(offered, site);
      if (!onRight) return reply.kind === "answer" ? { ...reply, intake: { right: offered, site, fields: INTAKE_FIELDS } } : reply;
      const seen = new Set([onRight.text]);
      const citations = [onRight, ...more, ...reply.citations]
        .filter((c, i) => i === 0 || (!seen.has(c.text) && seen.add(c.text)))
        .slice(0, 3);
      return {
        kind: "answer",
        text: `> ${quoteOn(onRight.text, RIGHT_QUERIES[offered].mentions)}\n\n— *${onRight.title}*, section “${onRight.section.split(" > ").at(-1)}” [1]`,
        citations,
        intake: { right: offered, site, fields: INTAKE_FIELDS },
      };
    },
  };
}

/**
 * The sentence of a passage to quote: the first that names the right (or the first at all), and the next one too
 * when it is only a heading-like name ("The right to object.").
 */
function quoteOn(text: string, mentions?: RegExp): string {
  const sentences = passageSentences(text);
  const named = mentions ? sentences.findIndex((sentence) => NAMES_A_RIGHT.test(sentence) && mentions.test(sentence)) : -1;
  const start = named >= 0 ? named : Math.max(0, mentions ? sentences.findIndex((sentence) => mentions.test(sentence)) : 0);
  const [first, second] = sentences.slice(start);
  if (!first) return text;
  return second && first.split(" ").length < 12 ? `${first} ${second}` : first;
}
