/**
 * The page's own style and script, inlined: plan.html opens from disk or as a mail attachment, with no
 * network and no server. The script only reads the records' JSON and writes text nodes (never HTML), so
 * a record or owner name cannot run as markup.
 */

export const PAGE_CSS = `
:root { --ink: #1d2733; --muted: #5b6776; --line: #d9dee5; --soft: #f4f6f9; --accent: #1f6feb;
  --before: #b7c0cc; --good: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span { margin-right: 16px; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; background: var(--soft); }
.card .n { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.failed .n, .card.conflict .n { color: var(--bad); }
.card.updated .n { color: var(--good); }
.card.skipped .n, .card.overridden .n { color: var(--warn); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.chart { display: grid; grid-template-columns: minmax(160px, 260px) 1fr 150px; gap: 6px 12px; align-items: center; }
.chart .who { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bars { display: flex; flex-direction: column; gap: 2px; }
.bar { height: 9px; border-radius: 3px; min-width: 1px; }
.bar.before { background: var(--before); }
.bar.after { background: var(--accent); }
.chart .nums { font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; }
.legend { color: var(--muted); margin: 0 0 10px; }
.legend i { display: inline-block; width: 12px; height: 9px; border-radius: 3px; margin: 0 4px 0 12px; }
.note { color: var(--muted); margin: 8px 0; }
.tools { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
.tools input { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 280px; }
.tools button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.tools button:disabled { opacity: .4; cursor: default; }
#records th { cursor: pointer; user-select: none; }
#records th[aria-sort="ascending"]::after { content: " \\25B2"; }
#records th[aria-sort="descending"]::after { content: " \\25BC"; }
.status-failed, .status-conflict { color: var(--bad); }
.status-updated { color: var(--good); }
.status-skipped, .status-overridden { color: var(--warn); }
@media print { .tools { display: none; } th { position: static; } }
`;

export const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('records-data').textContent);
  var columns = data.columns, rows = data.rows, pageSize = 100;
  var state = { query: '', key: -1, dir: 1, page: 0, shown: rows };
  var body = document.querySelector('#records tbody');
  var count = document.getElementById('records-count');
  var pageLabel = document.getElementById('records-page');
  var prev = document.getElementById('records-prev'), next = document.getElementById('records-next');
  var heads = document.querySelectorAll('#records th');
  function matches(row, words) {
    var text = row.join(' ').toLowerCase();
    for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) < 0) return false;
    return true;
  }
  function refresh() {
    var words = state.query.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = words.length ? rows.filter(function (row) { return matches(row, words); }) : rows.slice();
    if (state.key >= 0) {
      var k = state.key, numeric = columns[k].numeric;
      shown.sort(function (a, b) {
        var x = a[k], y = b[k];
        var c = numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y));
        return c * state.dir;
      });
    }
    state.shown = shown;
    state.page = Math.min(state.page, Math.max(0, Math.ceil(shown.length / pageSize) - 1));
    draw();
  }
  function draw() {
    var shown = state.shown, start = state.page * pageSize;
    var slice = shown.slice(start, start + pageSize);
    var fragment = document.createDocumentFragment();
    slice.forEach(function (row) {
      var tr = document.createElement('tr');
      row.forEach(function (cell, i) {
        var td = document.createElement('td');
        td.textContent = cell;
        if (columns[i].className) td.className = columns[i].className;
        if (columns[i].key === 'status' && cell) td.className = 'status-' + cell;
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    count.textContent = shown.length.toLocaleString('en-US');
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    pageLabel.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }
  document.getElementById('records-search').addEventListener('input', function (event) {
    state.query = event.target.value;
    state.page = 0;
    refresh();
  });
  prev.addEventListener('click', function () { state.page--; draw(); });
  next.addEventListener('click', function () { state.page++; draw(); });
  heads.forEach(function (th, i) {
    th.addEventListener('click', function () {
      state.dir = state.key === i ? -state.dir : 1;
      state.key = i;
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      refresh();
    });
  });
  refresh();
})();
`;
