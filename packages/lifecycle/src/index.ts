export * from './feed-groups.js';
export * from './machine.js';
export * from './transmission.js';
export * from './wait-clock.js';
