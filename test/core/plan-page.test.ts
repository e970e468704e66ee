/**
 * writePlanPage on plans written straight to disk: a plan larger than the page lists is summarised with
 * a count, its aggregates still cover every record, and the embedded JSON cannot close its element.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { emptyJob } from '../../src/config/job.js';
import { toId18 } from '../../src/ids.js';
import { escapeHtml, writePlanPage } from '../../src/journal/plan-page/index.js';
import { PAGE_RECORD_LIMIT } from '../../src/journal/plan-page/page-data.js';
import { plannedManifest } from '../../src/journal/run-manifest.js';
import { removeTempDirs, tempDir } from '../support/files.js';

afterAll(removeTempDirs);

const id = (prefix: string, n: number) => toId18(`${prefix}${n.toString(36).padStart(12, '0')}`) as string;

function manifestOf(changes: number) {
  return plannedManifest(
    {
      runId: '20261124T060000Z-abcdef',
      kind: 'plan',
      object: 'Lead',
      source: 'csv:leads.csv',
      target: 'csv',
      job: emptyJob(),
      command: 'plan',
      counts: { selected: changes, changes, unassigned: 0, kept: 0 },
      summary: {
        selected: changes,
        changes,
        unassigned: 0,
        kept: 0,
        groups: [],
        unassignedReasons: [],
        receivers: [],
      },
    },
    { startedAt: new Date(0), plannedAt: new Date(0) },
  );
}

/** The JSON the page embeds for its table. */
function embedded(html: string): { columns: unknown[]; rows: string[][] } {
  const text = /<script id="records-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return JSON.parse(text ?? '');
}

describe('plan.html', () => {
  test(`a plan above ${PAGE_RECORD_LIMIT.toLocaleString('en-US')} records lists that many and counts the rest`, async () => {
    const dir = await tempDir();
    const total = PAGE_RECORD_LIMIT + 7_321;
    const owners = ['005000000000001AAA', '005000000000002AAA', '005000000000003AAA'];
    const lines = ['Id,OldOwnerId,NewOwnerId,Rule,OldOwner,NewOwner'];
    for (let n = 0; n < total; n++) {
      const to = n % 3;
      lines.push(
        `${id('00Q', n)},${owners[0]},${owners[(to % 2) + 1]},rule ${to},ana,${to % 2 ? 'carla' : 'ben'}`,
      );
    }
    await writeFile(join(dir, 'plan.csv'), `${lines.join('\n')}\n`);
    const page = await writePlanPage(dir, manifestOf(total));
    const html = await readFile(page, 'utf8');
    expect(embedded(html).rows).toHaveLength(PAGE_RECORD_LIMIT);
    expect(html).toContain('the other <b>7,321</b> are in plan.csv');
    expect(html).toContain(`id="total-changes">${total.toLocaleString('en-US')}<`);
    const counted = [...html.matchAll(/<td class="num">([\d,]+)<\/td><\/tr>/g)].map((m) =>
      Number((m[1] as string).replace(/,/g, '')),
    );
    expect(counted.reduce((a, b) => a + b, 0)).toBe(total);
  });

  test('names that close the script element or the page stay inside their JSON string', async () => {
    const dir = await tempDir();
    const hostile = '</script><script>alert(1)</script><!-- \u2028 -->';
    await writeFile(
      join(dir, 'plan.csv'),
      `Id,OldOwnerId,NewOwnerId,Rule,OldOwner,NewOwner\n${id('00Q', 1)},005000000000001AAA,005000000000002AAA,"${hostile}",ana,ben\n`,
    );
    const html = await readFile(await writePlanPage(dir, manifestOf(1)), 'utf8');
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(embedded(html).rows[0]).toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
  });

  test('results.csv: counts by status and the failures grouped by message', async () => {
    const dir = await tempDir();
    const rows = [0, 1, 2, 3].map((n) => `${id('00Q', n)},005000000000001AAA,005000000000002AAA,r,ana,ben`);
    await writeFile(
      join(dir, 'plan.csv'),
      `Id,OldOwnerId,NewOwnerId,Rule,OldOwner,NewOwner\n${rows.join('\n')}\n`,
    );
    await writeFile(
      join(dir, 'results.csv'),
      'Id,OldOwnerId,NewOwnerId,Status,Error\n' +
        `${id('00Q', 0)},a,b,updated,\n${id('00Q', 1)},a,b,failed,"LOCKED: row & <lock>"\n` +
        `${id('00Q', 2)},a,b,failed,"LOCKED: row & <lock>"\n${id('00Q', 3)},a,b,skipped,owner changed\n`,
    );
    const html = await readFile(await writePlanPage(dir, manifestOf(4)), 'utf8');
    expect(html).toContain('id="result-updated">1<');
    expect(html).toContain('id="result-failed">2<');
    expect(html).toContain('id="result-skipped">1<');
    expect(html).toContain('<td>LOCKED: row &amp; &lt;lock&gt;</td><td class="num">2</td>');
    expect(embedded(html).rows.map((row) => row.at(-2))).toEqual(['updated', 'failed', 'failed', 'skipped']);
  });
});
