/**
 * npm run derive-policyqa -- policyqa-dev.json: rewrites server/language/policyqa.train.jsonl from PolicyQA's
 * OPP-115 labels (`category|||attribute|||value`), mapped onto the taxonomy's topics. Each question keeps its
 * topics and its answer span; each paragraph gets the topics of the questions it answers. PolicyQA (Ahmad et al., Findings of EMNLP
 * 2020) is built on OPP-115 (Wilson et al., ACL 2016).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { LANGUAGE_DIR, TRAINING_FILES, loadTaxonomy } from "../../server/language/data.js";
import { squadFileSchema } from "../../server/evaluation/evaluate.js";

const BY_CATEGORY: Record<string, string> = {
  "First Party Collection/Use": "first_party_collection",
  "Third Party Sharing/Collection": "third_party_sharing",
  "User Choice/Control": "user_choice_opt_out",
  "User Access, Edit and Deletion": "rights_overview",
  "Data Retention": "retention",
  "Data Security": "security",
  "Policy Change": "policy_change",
  "Do Not Track": "do_not_track",
  "International and Specific Audiences": "specific_audiences",
};

/** Values (or attributes) that name a finer topic than their category. */
const BY_VALUE: Record<string, string> = {
  Contact: "contact_data",
  Financial: "financial_payment",
  Location: "location",
  "IP address and device IDs": "device_ip",
  "Computer information": "device_ip",
  "Cookies and tracking elements": "cookies_tracking",
  "User online activities": "online_activity",
  "Social media data": "social_media",
  Health: "health_biometric",
  "User profile": "account_data",
  "User Profile": "account_data",
  "Personal identifier": "account_data",
  Marketing: "marketing_email",
  Advertising: "advertising",
  "Analytics/Research": "analytics",
  "Personalization/Customization": "personalisation",
  "Basic service/feature": "service_provision",
  "Additional service/feature": "service_provision",
  "Service operation and security": "security_fraud_purpose",
  "Service Operation and Security": "security_fraud_purpose",
  "Legal requirement": "legal_obligation",
  View: "right_access",
  "Edit information": "right_rectification",
  "Delete account (full)": "right_erasure",
  "Delete account (partial)": "right_erasure",
  "Deactivate account": "right_erasure",
  Children: "children",
  "Collection Mode": "collection_method",
};

function sentencesOf(text: string): string[] {
  const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
  return [...segmenter.segment(text.replace(/\s+/g, " "))].map((part) => part.segment.trim()).filter(Boolean);
}

export function topicsOf(type: string): string[] {
  const [category = "", attribute = "", value = ""] = type.split("|||");
  const topics = [BY_VALUE[value], BY_VALUE[attribute], BY_CATEGORY[category]].filter((t): t is string => Boolean(t));
  return [...new Set(topics)];
}

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run derive-policyqa -- policyqa-dev.json");
  process.exit(2);
}
{
  const squad = squadFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
  const topics = await loadTaxonomy();
  const known = new Set(topics.map((t) => t.id));
  const lines: string[] = [];
  const seenSentences = new Set<string>();
  for (const policy of squad.data) {
    for (const paragraph of policy.paragraphs) {
      const counts = new Map<string, number>();
      for (const qa of paragraph.qas) {
        const labelled = topicsOf(qa.type ?? "").filter((t) => known.has(t));
        if (labelled.length === 0) continue;
        const span = qa.answers[0]?.text ?? "";
        // The answer span labels which retrieved passages answer the question (the answerability verifier's pairs).
        lines.push(JSON.stringify({ policy: policy.title, kind: "question", text: qa.question, topics: labelled, answer: span }));
        // The sentence holding the answer span: the policy's own words for this topic.
        const sentence = span ? sentencesOf(paragraph.context).find((candidate) => candidate.includes(span)) : undefined;
        if (sentence) {
          const key = `${sentence}\u0000${labelled[0]}`;
          if (!seenSentences.has(key)) {
            seenSentences.add(key);
            lines.push(JSON.stringify({ policy: policy.title, kind: "sentence", text: sentence, topics: labelled }));
          }
        }
        for (const topic of labelled) counts.set(topic, (counts.get(topic) ?? 0) + 1);
      }
      const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([topic]) => topic);
      const text = paragraph.context.replace(/\s+/g, " ").trim();
      if (ranked.length > 0) lines.push(JSON.stringify({ policy: policy.title, kind: "passage", text, topics: ranked.slice(0, 4) }));
    }
  }
  await writeFile(path.join(LANGUAGE_DIR, TRAINING_FILES.policyQa), `${lines.join("\n")}\n`);
  console.log(`wrote ${lines.length} examples to ${path.join(LANGUAGE_DIR, TRAINING_FILES.policyQa)}`);
}
