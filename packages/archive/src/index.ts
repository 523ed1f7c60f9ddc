export type { AcceptanceRecords, ArchivedPhoto, TransmissionTimes } from './archived-state.js';
export * from './story-archive.js';
export * from './undecided-photo-archive.js';
