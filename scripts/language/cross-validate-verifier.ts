/**
 * npm run cross-validate-verifier [-- --models A.json,B.json]: how well the answerability verifier tells a question
 * the policy answers from one it does not, on visitor-voice questions over policies it was not trained on. PolicyQA's
 * 20 policies are split in two halves (alphabetical); for each half the verifier is trained as `npm run train`
 * trains it without that half's policies, and each question written against that half (verifier.train.jsonl) is
 * searched the way the ask path searches. Prints, as JSON, the area under the ROC curve of the verifier's best
 * probability among the first three passages, and at each threshold the answerable questions refused and the
 * unanswerable ones abstained. --models: per half, a language model trained without that half's policies
 * (`npm run train -- --hold-out ...`), so the topic classifiers have not seen them either (default: the committed one).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readEnv } from "../../server/env.js";
import { embedderFromEnv } from "../../server/knowledge/index.js";
import { type LanguageModel, loadLanguageModel, loadTrainingData } from "../../server/language/index.js";
import { verify } from "../../server/language/answerability.js";
import { policyQaPairing, trainAnswerability } from "../../server/language/train-answerability.js";
import { rememberingPassages, SEED, VERIFIER_EPOCHS } from "../../server/language/train.js";

const { values } = parseArgs({ options: { models: { type: "string" } } });
const log = (line: string) => console.error(line);
const env = readEnv(process.env);
const encoder = await embedderFromEnv(env, log);
// Each policy's passages are embedded once, though both halves index them (one to train on, one to be judged).
const embedder = rememberingPassages(encoder, new Map());
const data = await loadTrainingData();
const policies = [...new Set(data.policyQa.map((e) => e.policy))].sort();
const halves = [policies.slice(0, policies.length / 2), policies.slice(policies.length / 2)];
const models = values.models?.split(",");
const scored: Array<{ answerable: boolean; found: boolean; best: number }> = [];
for (const [h, half] of halves.entries()) {
  const language = models?.[h]
    ? (JSON.parse(await readFile(models[h] as string, "utf8")) as LanguageModel)
    : await loadLanguageModel({ embedder, dataDir: env.DATA_DIR, log });
  const holdOutPolicies = new Set(half);
  const model = await trainAnswerability(data, embedder, language, {
    seed: SEED,
    epochs: VERIFIER_EPOCHS,
    holdOutPolicies,
    onProgress: log,
  });
  const { pairsFor } = await policyQaPairing(data, half, embedder, language, log);
  for (const question of data.verifierQuestions.filter((q) => holdOutPolicies.has(q.policy))) {
    const pairs = await pairsFor(question.question, question.policy, 5, question.answer ?? undefined);
    const probabilities = verify(
      model,
      pairs.map((pair) => pair.features),
    ).slice(0, 3);
    scored.push({
      answerable: question.answer !== null,
      found: pairs.slice(0, 3).some((pair) => pair.answers),
      best: Math.max(0, ...probabilities),
    });
  }
  log(`half ${h + 1}/2 done`);
}
const answerable = scored.filter((s) => s.answerable && s.found);
const unanswerable = scored.filter((s) => !s.answerable);
let wins = 0;
for (const a of answerable) for (const u of unanswerable) wins += a.best > u.best ? 1 : a.best === u.best ? 0.5 : 0;
const at = (threshold: number) => ({
  threshold,
  refused: answerable.filter((s) => s.best < threshold).length,
  abstained: unanswerable.filter((s) => s.best < threshold).length,
});
console.log(
  JSON.stringify(
    {
      questions: scored.length,
      answerableFound: answerable.length,
      answerableNotFound: scored.filter((s) => s.answerable && !s.found).length,
      unanswerable: unanswerable.length,
      auc: Math.round((wins / Math.max(1, answerable.length * unanswerable.length)) * 1000) / 1000,
      thresholds: [0.4, 0.5, 0.55, 0.6, 0.65, 0.7].map(at),
    },
    null,
    1,
  ),
);
