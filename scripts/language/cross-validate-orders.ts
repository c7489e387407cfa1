/**
 * npm run cross-validate-orders [-- --folds K]: how well the assistant tells an order to exercise a right from any
 * other message, on our own training questions, out of fold. The questions are split K ways (seeded); for each fold
 * the question-topic and dialog-act classifiers are trained as `npm run train` trains them on the others, and every
 * held-out message goes through the language layer's reading (`understand`) and the assistant's own decision
 * (`readIntent`: classifier, rule table, negations). Prints orders recognised (and with the right right) and other
 * messages taken as orders, as JSON; the ones taken wrongly on stderr.
 */
import { parseArgs } from "node:util";
import { readIntent } from "../../server/assistant.js";
import { readEnv } from "../../server/env.js";
import { embedderFromEnv } from "../../server/knowledge/index.js";
import { loadTrainingData } from "../../server/language/index.js";
import { understand } from "../../server/language/understand.js";
import { shuffled } from "../../server/language/shuffle.js";
import { embedInBatches, questionExamples, rememberingPassages, trainQuestionClassifiers } from "../../server/language/train.js";

const { values } = parseArgs({ options: { folds: { type: "string", default: "5" } } });
const folds = Number(values.folds);
const log = (line: string) => console.error(line);
const embedder = await embedderFromEnv(readEnv(process.env), log);
const data = await loadTrainingData();
const topicIds = data.topics.map((topic) => topic.id);
const questions = shuffled(data.questions, 11);
const all = questionExamples(data);
const texts = [...new Set(all.topics.map((e) => e.text))];
const vectors = new Map<string, number[]>();
await embedInBatches(rememberingPassages(embedder, vectors), texts);

const counts = { orders: 0, recognised: 0, rightRight: 0, others: 0, takenAsOrders: 0 };
for (let fold = 0; fold < folds; fold++) {
  const heldOut = questions.filter((_, i) => i % folds === fold);
  const examples = questionExamples(
    data,
    questions.filter((_, i) => i % folds !== fold),
  );
  const classifiers = await trainQuestionClassifiers(topicIds, examples, vectors);
  for (const question of heldOut) {
    const intent = readIntent(question.text, understand(classifiers, vectors.get(question.text) ?? []));
    const ordered = intent.request;
    if (question.act === "request") {
      counts.orders++;
      if (ordered) counts.recognised++;
      if (ordered && intent.right === question.right) counts.rightRight++;
      if (!ordered) log(`missed order: ${question.text}`);
      else if (intent.right !== question.right) log(`order of ${question.right} read as ${intent.right}: ${question.text}`);
    } else {
      counts.others++;
      if (ordered) counts.takenAsOrders++;
      if (ordered) log(`taken as an order (${question.act}): ${question.text}`);
    }
  }
  log(`fold ${fold + 1}/${folds} done`);
}
console.log(JSON.stringify({ folds, ...counts }, null, 2));
