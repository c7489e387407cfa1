import type { AskReply, Citation, Knowledge, Right } from "./knowledge/types.js";
import { RIGHT_LABELS, classifyRightsIntent } from "./rights/intent.js";

/** The chat's brain: an order to exercise a right goes to the intake, anything else is answered from the policy. */
export interface Assistant {
  ask(question: string, site: string): Promise<AskReply>;
}

/** What the intake form asks for. */
export const INTAKE_FIELDS = ["email", "name", "country", "details"];

/** How to find a policy's passage on each right, in the words policies use. */
const RIGHT_QUERIES: Record<Right, { query: string; mentions: RegExp }> = {
  access: { query: "right to access a copy of your personal data", mentions: /\baccess\b|\bcopy\b/i },
  erasure: { query: "right to erasure, to be forgotten: delete your personal data", mentions: /eras|forgotten|delet/i },
  rectification: { query: "right to rectification: correct or update inaccurate personal data", mentions: /rectif|correct/i },
  portability: { query: "right to data portability: receive your data in a usable electronic format", mentions: /portab/i },
  restriction: { query: "right to restrict processing of your personal data", mentions: /restrict/i },
  objection: { query: "right to object to processing and direct marketing", mentions: /object/i },
  withdraw_consent: { query: "withdraw your consent at any time", mentions: /withdraw/i },
  opt_out_sale: { query: "we do not sell your personal information; opt out of sale", mentions: /\bsel|\bsale|\bsold/i },
};

export function createAssistant(knowledge: Knowledge): Assistant {
  async function passageOn(right: Right, site: string): Promise<Citation[]> {
    const { query, mentions } = RIGHT_QUERIES[right];
    const onRight = (await knowledge.search(query, site, 3)).filter((citation) => mentions.test(citation.text));
    if (onRight.length > 0) return onRight.slice(0, 2);
    return (await knowledge.search("contact us with questions or requests about your personal data: e-mail address", site, 1));
  }

  return {
    async ask(question, site) {
      const intent = classifyRightsIntent(question);
      const info = knowledge.site(site);
      if (intent.kind === "request" && info) {
        const right = intent.rights[0] as Right;
        const others = intent.rights.slice(1).map((other) => RIGHT_LABELS[other].toLowerCase());
        const citations = await passageOn(right, site);
        const said = citations[0] ? `\n\nWhat the ${info.title} says:\n\n> ${firstSentences(citations[0].text)} [1]` : "";
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
      return offered && reply.kind === "answer" ? { ...reply, intake: { right: offered, site, fields: INTAKE_FIELDS } } : reply;
    },
  };
}

function firstSentences(text: string): string {
  const plain = text.replace(/^•\s*/gm, "").replace(/\s+/g, " ");
  const end = plain.search(/(?<=[.!?])\s/);
  return end > 0 && end < 400 ? plain.slice(0, end) : plain.slice(0, 400);
}
