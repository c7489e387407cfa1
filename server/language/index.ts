export { loadTrainingData, loadTaxonomy, type Topic, type TrainingData } from "./data.js";
export { ACTS, type Act, type LanguageModel, classify, top } from "./model.js";
export { committedModelPath, loadLanguageModel } from "./load.js";
