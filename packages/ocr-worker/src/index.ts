export { startWorker } from './worker.service.js';
export type { WorkerOptions, WorkerService } from './worker.service.js';
export { loadConfig } from './config.js';
export type { WorkerConfig } from './config.js';
export { handleOcrRequested, retryDelayMs } from './ocr-requested.handler.js';
export type { Outcome, RequestedDeps, Delivery } from './ocr-requested.handler.js';
export { createExtractor } from './extraction/index.js';
export type { Extractor, Extraction, ExtractorOptions } from './extraction/types.js';
export { parseLabel, needsReview } from './extraction/index.js';
