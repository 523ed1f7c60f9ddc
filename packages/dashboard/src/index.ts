export { type JobAction, JobActions, judgeJobAction } from '@lightbox/desk';
export { registerDashboard, safeNext } from './dashboard.js';
export type { DashboardDeps } from './deps.js';
export { healthProblems, type StageCard } from './health.js';
export { escapeHtml, html, raw } from './html.js';
export { loadOverview, type Overview } from './overview.js';
export { QUEUE_BOARD_PATH } from './queue-board.js';
