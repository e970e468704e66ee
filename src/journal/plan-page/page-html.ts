import { inApplyOrder } from '../../config/job-parts.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.js';
import { PAGE_GROUP_LIMIT, PAGE_RECORD_LIMIT, type PageData, type PageRecord } from './page-data.js';

/** Receiving owners drawn in the chart; the rest are counted under it. */
const CHART_LIMIT = 200;
/** Records per chunk of the embedded JSON: the page is written in pieces, never held whole. */
const JSON_CHUNK = 2_000;
const RESULT_STATUSES = ['updated', 'skipped', 'failed', 'overridden', 'conflict'] as const;

export type Write = (text: string) => Promise<void>;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes, so that no value can
 * close the element (`</script>`) or open a comment; U+2028/2029 too, for older script parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const number = (n: number) => n.toLocaleString('en-US');

/** Writes the whole page through `write`, section by section. */
export async function renderPage(data: PageData, write: Write): Promise<void> {
  const { manifest } = data;
  const title = `leadshift ${manifest.kind === 'undo' ? 'undo' : 'plan'} ${manifest.runId}`;
  await write(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">` +
      `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body>\n`,
  );
  await write(header(data, title));
  await write(totals(data));
  if (data.results) await write(results(data));
  await write(receivers(data));
  await write(changes(data));
  await write(unassigned(data));
  await records(data, write);
  await write(`<script>${PAGE_SCRIPT}</script>\n</body></html>\n`);
}

function header(data: PageData, title: string): string {
  const m = data.manifest;
  const facts: Array<[string, string | undefined]> = [
    m.job.objects
      ? [
          'Objects',
          inApplyOrder(m.job.objects)
            .map((part) => part.object)
            .join(', '),
        ]
      : ['Object', m.object],
    ['Source', m.source],
    [
      'Writes to',
      m.target === 'csv'
        ? m.job.objects
          ? 'update files (CSV)'
          : 'update file (CSV)'
        : (m.instance ?? 'Salesforce'),
    ],
    ['Status', m.status],
    ['Run by', m.ranBy],
    ['Planned', m.plannedAt],
    ['Applied', m.appliedAt],
    ['Undoes', m.undoOf],
  ];
  const shown = facts
    .filter((fact): fact is [string, string] => Boolean(fact[1]))
    .map(([label, value]) => `<span>${label}: <b data-fact="${label}">${escapeHtml(value)}</b></span>`);
  return `<h1>${escapeHtml(title)}</h1>\n<p class="meta">${shown.join(' ')}</p>\n`;
}

function card(id: string, label: string, value: number): string {
  return `<div class="card ${id}"><div class="n" id="${id}">${number(value)}</div><div class="l">${label}</div></div>`;
}

function totals(data: PageData): string {
  const { counts } = data.manifest;
  return (
    `<h2>Totals</h2>\n<div class="cards">` +
    card('total-selected', 'selected', counts.selected) +
    card('total-changes', 'to change', data.planned) +
    card('total-unassigned', 'unassigned', counts.unassigned) +
    card('total-kept', 'already right', counts.kept) +
    `</div>\n`
  );
}

function results(data: PageData): string {
  const counts = data.results ?? {};
  const cards = RESULT_STATUSES.map((status) => card(`result-${status}`, status, counts[status] ?? 0));
  const failures = data.failures.length
    ? `<h3>Failures</h3>\n<table id="failures"><thead><tr><th>Message</th><th class="num">Records</th><th>For example</th></tr></thead><tbody>` +
      data.failures
        .map(
          (f) =>
            `<tr><td>${escapeHtml(f.message)}</td><td class="num">${number(f.count)}</td>` +
            `<td class="id">${f.ids.map(escapeHtml).join(' ')}</td></tr>`,
        )
        .join('') +
      `</tbody></table>\n`
    : '';
  return `<h2>Results</h2>\n<div class="cards" id="results">${cards.join('')}</div>\n${failures}`;
}

function receivers(data: PageData): string {
  const list = data.manifest.summary.receivers;
  if (list.length === 0) return '';
  const shown = list.slice(0, CHART_LIMIT);
  const max = Math.max(1, ...shown.map((r) => Math.max(r.before, r.after)));
  const width = (n: number) => `${((100 * n) / max).toFixed(2)}%`;
  const rows = shown.map(
    (r) =>
      `<div class="who" title="${escapeHtml(r.owner)}">${escapeHtml(r.owner)}</div>` +
      `<div class="bars"><div class="bar before" style="width:${width(r.before)}"></div>` +
      `<div class="bar after" style="width:${width(r.after)}"></div></div>` +
      `<div class="nums" data-owner-id="${escapeHtml(r.ownerId)}">${number(r.before)} → ${number(r.after)} (+${number(r.received)})</div>`,
  );
  const more =
    list.length > shown.length
      ? `<p class="note">and ${number(list.length - shown.length)} more receiving owners</p>`
      : '';
  return (
    `<h2>Open records of each receiving owner</h2>\n<p class="legend">` +
    `<i style="background:var(--before)"></i>before<i style="background:var(--accent)"></i>after</p>\n` +
    `<div class="chart" id="receivers">${rows.join('\n')}</div>\n${more}`
  );
}

function changes(data: PageData): string {
  const objectColumn = data.severalObjects;
  const shown = data.groups.slice(0, PAGE_GROUP_LIMIT);
  const rows = shown.map(
    (g) =>
      `<tr><td>${escapeHtml(g.oldOwner)}</td><td>${escapeHtml(g.newOwner)}</td><td>${escapeHtml(g.rule)}</td>` +
      (objectColumn ? `<td>${escapeHtml(g.object)}</td>` : '') +
      `<td class="num">${number(g.count)}</td></tr>`,
  );
  const rest = data.groups.slice(PAGE_GROUP_LIMIT).reduce((sum, g) => sum + g.count, 0);
  const more =
    rest > 0
      ? `<p class="note">and ${number(data.groups.length - shown.length)} more groups holding ${number(rest)} records</p>`
      : '';
  return (
    `<h2>Changes by old owner, new owner and rule</h2>\n<table id="changes"><thead><tr><th>Old owner</th><th>New owner</th><th>Rule</th>` +
    (objectColumn ? '<th>Object</th>' : '') +
    `<th class="num">Records</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n${more}`
  );
}

function unassigned(data: PageData): string {
  const reasons = data.manifest.summary.unassignedReasons;
  if (reasons.length === 0) return '';
  const rows = reasons.map(
    (r) => `<tr><td>${escapeHtml(r.reason)}</td><td class="num">${number(r.count)}</td></tr>`,
  );
  return `<h2>Unassigned, with the reason</h2>\n<table id="unassigned"><thead><tr><th>Reason</th><th class="num">Records</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n`;
}

interface Column {
  key: keyof PageRecord;
  label: string;
  className?: string;
}

function recordColumns(data: PageData): Column[] {
  return [
    { key: 'id', label: 'Id', className: 'id' },
    ...(data.severalObjects ? [{ key: 'object', label: 'Object' } as Column] : []),
    { key: 'oldOwner', label: 'Old owner' },
    { key: 'newOwner', label: 'New owner' },
    { key: 'rule', label: 'Rule' },
    ...(data.results
      ? [{ key: 'status', label: 'Result' } as Column, { key: 'error', label: 'Error' } as Column]
      : []),
  ];
}

async function records(data: PageData, write: Write): Promise<void> {
  const columns = recordColumns(data);
  const rest = data.planned - data.records.length;
  const note =
    rest > 0
      ? `<p class="note" id="records-rest">The first ${number(PAGE_RECORD_LIMIT)} records are listed here; the other <b>${number(rest)}</b> are in plan.csv.</p>`
      : '';
  await write(
    `<h2>Records</h2>\n${note}<div class="tools"><input id="records-search" type="search" placeholder="Search Id, owner, rule…" aria-label="Search records">` +
      `<span><b id="records-count">${number(data.records.length)}</b> records</span>` +
      `<button id="records-prev" type="button">‹ previous</button><span id="records-page"></span>` +
      `<button id="records-next" type="button">next ›</button></div>\n` +
      `<table id="records"><thead><tr>${columns.map((c) => `<th>${c.label}</th>`).join('')}</tr></thead><tbody></tbody></table>\n` +
      `<noscript><p class="note">Turn on scripts to list, search and sort the records; plan.csv holds them all.</p></noscript>\n`,
  );
  await write(`<script id="records-data" type="application/json">{"columns":${scriptJson(columns)},"rows":[`);
  for (let at = 0; at < data.records.length; at += JSON_CHUNK) {
    const chunk = data.records.slice(at, at + JSON_CHUNK).map((r) => columns.map((c) => r[c.key]));
    await write((at > 0 ? ',' : '') + scriptJson(chunk).slice(1, -1));
  }
  await write(`]}</script>\n`);
}
