export * from './timers.js';
export * from './middleboxes.js';
export * from './duration.js';
export * from './time-to-notice.js';
export * from './coverage.js';
export * from './audit-report.js';
export * from './problems.js';
