export { synthesise } from './synth.js';
export type { SynthOptions, LabelTruthFile } from './synth.js';
export { ensureSplit, SPLITS, VERSION } from './splits.js';
export type { SplitName } from './splits.js';
export { CORE_CONDITIONS, STRETCH_CONDITIONS } from './capture.js';
export type { Condition } from './capture.js';
export { poolsFor, inSplit, DRUGS } from './pools.js';
export type { Split, Drug } from './pools.js';
