/** Multiple systems estimation: the functions the CLI, API and dashboard call. */
export { HistoriesCsvError, parseHistoriesCsv } from "./csv.js";
export {
  type EstimateJson,
  type EstimateOptions,
  type EstimateResult,
  estimate,
  type ModelJson,
  type ModelReport,
  toJson,
} from "./estimate.js";
export {
  type CaptureHistories,
  countsByMask,
  fromCounts,
  type HistoryCell,
  observedTotal,
} from "./histories.js";
export { binomial, type LcmcrOptions, type LcmcrResult, lcmcr } from "./lcmcr.js";
export {
  allPairs,
  fitLogLinear,
  type LogLinearFit,
  type LogLinearModel,
  withProfileInterval,
} from "./loglinear.js";
export { Rng } from "./rng.js";
export {
  addStrata,
  estimateStrata,
  type StrataJson,
  type StrataResult,
  type StratumInput,
  strataToJson,
} from "./strata.js";
export { chapman, lincolnPetersen, logNormalInterval, type TwoListEstimate } from "./twoList.js";
