export { registerDashboard, safeNext } from './dashboard.js';
export type { DashboardDeps } from './deps.js';
export { healthProblems, type StageCard } from './health.js';
export { escapeHtml, html, raw } from './html.js';
export { type JobAction, JobActions, judgeJobAction } from './job-actions.js';
export { loadOverview, type Overview } from './overview.js';
export { QUEUE_BOARD_PATH } from './queue-board.js';
