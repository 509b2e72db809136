export { createIngestApp } from './ingest.app.js';
export type { IngestDeps } from './ingest.app.js';
export { loadConfig } from './config.js';
export type { IngestConfig } from './config.js';
export { checkStructure, inspectImage } from './image.inspector.js';
export { imageEnd } from './image-end.parser.js';
export type { ImageEnd } from './image-end.parser.js';

export { jetStreamPhotoIndex } from './photo-index.storage.js';
export type { PhotoIndex, PhotoUpload } from './photo-index.storage.js';
