/** Rules of issue 15: AI and synthetic media, graphic content, licence expiry. */
export * from './digital-source-type.js';
export * from './graphic-content.js';
export * from './licence-expiry.js';
