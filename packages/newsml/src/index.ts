export { durationMs } from '@lightbox/contracts';
export * from './newsml.js';
export * from './sidecar-names.js';
export { MAX_XML_BYTES, NewsmlError, parseXml } from './xml.js';
