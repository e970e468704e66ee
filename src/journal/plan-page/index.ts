/** plan.html: the plan as one self-contained page for the people who review it (DESIGN.md). */
export { escapeHtml } from './page-html.js';
export { writePlanPage } from './write-plan-page.js';
