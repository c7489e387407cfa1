/** Offline evaluation (npm run eval, bench, train): question sets and their scoring; nothing on the request path imports it. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { withoutItemMarks } from "../knowledge/chunk.js";
import { countWords, normalizeText } from "../knowledge/text.js";
import type { AskReply, Citation } from "../knowledge/types.js";

/** The seed format: questions on a corpus with gold quotes, rights requests and unanswerable questions. */
export const seedFileSchema = z.object({
  questions: z.array(
    z.object({
      id: z.string(),
      site: z.string(),
      kind: z.enum(["answer", "rights_request", "unanswerable"]),
      question: z.string(),
      gold: z.array(z.string()).optional(),
      right: z.string().optional(),
    }),
  ),
});
export type SeedFile = z.infer<typeof seedFileSchema>;

/** SQuAD v1, as PolicyQA ships it. */
export const squadFileSchema = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({
              id: z.string(),
              question: z.string(),
              type: z.string().optional(),
              answers: z.array(z.object({ text: z.string() })),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type SquadFile = z.infer<typeof squadFileSchema>;

/** The comparison the seed file prescribes: NFKC, lower case, straight quotes, one dash, collapsed spaces. */
export function matchable(text: string): string {
  return normalizeText(withoutItemMarks(text)).toLowerCase();
}

export function goldRank(citations: Citation[], gold: string[]): number | undefined {
  const wanted = gold.map(matchable);
  const index = citations.findIndex((citation) => wanted.some((quote) => matchable(citation.text).includes(quote)));
  return index >= 0 ? index + 1 : undefined;
}

/** Whether a gold string is in the words the visitor reads first: the reply's text without its Markdown. */
export function quoteHits(markdown: string, gold: string[]): boolean {
  const plain = matchable(markdown.replace(/[*_>`#]/g, " ").replace(/\[(\d+)\]/g, " "));
  return gold.map(matchable).some((quote) => plain.includes(quote));
}

export interface SeedReport {
  answer: {
    total: number;
    hitAt1: number;
    hitAt3: number;
    quoteHit: number;
    falseAbstentions: number;
    misses: string[];
    quoteMisses: string[];
  };
  unanswerable: { total: number; abstained: number; answered: string[] };
  rights: { total: number; recognised: number; misses: string[]; falseRequests: string[] };
}

export async function evaluateSeed(file: SeedFile, ask: (question: string, site: string) => Promise<AskReply>): Promise<SeedReport> {
  const report: SeedReport = {
    answer: { total: 0, hitAt1: 0, hitAt3: 0, quoteHit: 0, falseAbstentions: 0, misses: [], quoteMisses: [] },
    unanswerable: { total: 0, abstained: 0, answered: [] },
    rights: { total: 0, recognised: 0, misses: [], falseRequests: [] },
  };
  for (const item of file.questions) {
    const reply = await ask(item.question, item.site);
    if (item.kind !== "rights_request" && reply.kind === "rights_request") report.rights.falseRequests.push(item.id);
    if (item.kind === "answer") {
      report.answer.total++;
      const rank = goldRank(reply.citations, item.gold ?? []);
      if (reply.kind === "no_answer") report.answer.falseAbstentions++;
      if (quoteHits(reply.text, item.gold ?? [])) report.answer.quoteHit++;
      else report.answer.quoteMisses.push(item.id);
      if (rank === 1) report.answer.hitAt1++;
      if (rank !== undefined && rank <= 3) report.answer.hitAt3++;
      else report.answer.misses.push(item.id);
    } else if (item.kind === "unanswerable") {
      report.unanswerable.total++;
      if (reply.kind === "no_answer") report.unanswerable.abstained++;
      else report.unanswerable.answered.push(item.id);
    } else {
      report.rights.total++;
      if (reply.kind === "rights_request" && reply.right === item.right) report.rights.recognised++;
      else report.rights.misses.push(item.id);
    }
  }
  return report;
}

/** Writes each SQuAD title as its own site folder of one plain-text document, one paragraph a block. */
export async function writeSquadCorpus(file: SquadFile, corpusDir: string): Promise<string[]> {
  const sites: string[] = [];
  for (const [i, policy] of file.data.entries()) {
    const site = `p${String(i).padStart(2, "0")}-${policy.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .slice(0, 40)}`;
    await mkdir(path.join(corpusDir, site), { recursive: true });
    const front = `---\ntitle: ${JSON.stringify(policy.title)}\nurl: ${JSON.stringify(`https://${policy.title}/privacy`)}\n---\n`;
    await writeFile(
      path.join(corpusDir, site, "policy.txt"),
      `${front + policy.paragraphs.map((p) => p.context.replace(/\s*\n\s*/g, " ")).join("\n\n")}\n`,
    );
    sites.push(site);
  }
  return sites;
}

export interface RetrievalReport {
  questions: number;
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  mrr: number;
  meanWordsPerPassage: number;
}

export async function evaluateSquad(
  file: SquadFile,
  sites: string[],
  search: (question: string, site: string, limit: number) => Promise<Citation[]>,
  onProgress?: (done: number, total: number) => void,
): Promise<RetrievalReport> {
  const items = file.data.flatMap((policy, i) =>
    policy.paragraphs.flatMap((paragraph) =>
      paragraph.qas.map((qa) => ({ site: sites[i] ?? "", question: qa.question, answer: qa.answers[0]?.text ?? "" })),
    ),
  );
  let at1 = 0;
  let at3 = 0;
  let at5 = 0;
  let reciprocal = 0;
  let words = 0;
  let passages = 0;
  for (const [n, item] of items.entries()) {
    const results = await search(item.question, item.site, 5);
    passages += results.length;
    words += results.reduce((sum, result) => sum + countWords(withoutItemMarks(result.text)), 0);
    const answer = matchable(item.answer);
    const index = results.findIndex((result) => matchable(result.text).includes(answer));
    if (index === 0) at1++;
    if (index >= 0 && index < 3) at3++;
    if (index >= 0) {
      at5++;
      reciprocal += 1 / (index + 1);
    }
    if (n % 250 === 0) onProgress?.(n, items.length);
  }
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    questions: items.length,
    recallAt1: round(at1 / items.length),
    recallAt3: round(at3 / items.length),
    recallAt5: round(at5 / items.length),
    mrr: round(reciprocal / items.length),
    meanWordsPerPassage: round(words / Math.max(passages, 1)),
  };
}
