/**
 * Runs one scenario against the test org with the built binary and checks the promises after every
 * step against the org's own state. What the run wrote is read from the org's owner history (rows
 * created by the running user), so the checks do not trust anything leadshift says about itself.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, World } from '../sf-flow/helpers.js';
import type { CliResult } from '../support/cli.js';
import type { Fault, Scenario, Step } from './scenario.js';

export interface Violation {
  kind: string;
  detail: string;
}

interface PlanRow {
  Id: string;
  OldOwnerId: string;
  NewOwnerId: string;
}

interface Write {
  id: string;
  old: string;
  new: string;
}

const RUN = 'p';

export class SimCase {
  readonly violations: Violation[] = [];
  readonly log: string[] = [];
  private plan: PlanRow[] = [];
  private planned = new Map<string, PlanRow>();
  /** Records someone else changed (owner, conversion, deletion) since the plan. */
  private changedByOthers = new Set<string>();
  /** Records someone changed while a Bulk ingest job was running. */
  private bulkWindow = new Set<string>();
  private historySeen = new Map<string, number>();
  /** A complete undo has run (its restore was checked). */
  private undone = false;
  /** An undo step has run, complete or not: apply's journal no longer describes the org. */
  private undoTouched = false;
  private fault: Fault = 'none';
  private lastUndoComplete = false;
  private requestHook: ((kind: string, path: string, body: string) => void) | undefined;
  private phase: 'apply' | 'undo' | 'idle' = 'idle';

  private constructor(
    readonly w: World,
    readonly s: Scenario,
  ) {
    w.org.onRequest((r) => this.requestHook?.(r.kind, r.path, r.body));
    w.org.faults.onBeforeWrite((object, id, changes) => this.beforeWrite(object, id, changes.OwnerId));
  }

  static async start(s: Scenario): Promise<SimCase> {
    const w = await World.create({
      leads: s.leads,
      ownerOf: (i, p) => [p.ana, p.dan, p.ben, p.eve][(i * 7 + s.leads) % 4] ?? p.ben,
    });
    if (s.inactiveOwnerPermission) w.org.grantPermission('PermissionsUpdateWithInactiveOwner');
    return new SimCase(w, s);
  }

  close(): Promise<void> {
    return this.w.close();
  }

  private flag(kind: string, detail: string): void {
    if (!this.violations.some((v) => v.kind === kind)) this.violations.push({ kind, detail });
  }

  private lead(i: number): string {
    return this.w.leads[i % this.w.leads.length] ?? '';
  }

  async runAll(): Promise<void> {
    const selection = this.s.selection === 'owner' ? ['--owner', 'ben@acme.com'] : ['--inactive-owners'];
    const planned = await this.w.run(
      [
        'plan',
        '--from',
        'salesforce',
        ...selection,
        '--to',
        'carla@acme.com',
        '--api',
        this.s.api,
        '--out',
        RUN,
      ],
      { auth: 'password' },
    );
    this.log.push(`plan: exit ${planned.code}`);
    if (planned.code !== 0) {
      this.flag('plan failed', firstLines(planned));
      return;
    }
    this.plan = (await this.w.plan(this.w.path(RUN))) as unknown as PlanRow[];
    this.planned = new Map(this.plan.map((r) => [r.Id, r]));
    this.markHistory();
    for (const step of this.s.steps) await this.step(step);
  }

  private async step(step: Step): Promise<void> {
    if (step.kind === 'edit' || step.kind === 'convert' || step.kind === 'delete') {
      this.othersChange(step);
      return;
    }
    const result = await this.command(step);
    this.log.push(
      `${step.kind} ${step.fault}${step.killAt ? ` kill@${step.killAt}` : ''}: ${exitOf(result)}`,
    );
    this.w.org.faults.clear();
    const writes = this.newWrites();
    if (step.kind === 'apply') {
      await this.checkApply(result, writes);
      // An apply after an undo writes the plan again: the next undo has that to put back.
      if (writes.length > 0) this.lastUndoComplete = false;
    } else {
      // Undo waits for a Bulk job its run left running: what that job wrote is the apply's write.
      const byApply = writes.filter((w) => this.isApplyWrite(w));
      this.checkApplyWrites(
        byApply,
        new Map((await this.results()).map((r) => [r.Id ?? '', r.Status ?? ''])),
        result,
      );
      await this.checkUndo(
        result,
        writes.filter((w) => !byApply.includes(w)),
      );
    }
  }

  private othersChange(step: Extract<Step, { kind: 'edit' | 'convert' | 'delete' }>): void {
    const running = this.w.org
      .ingestJobs()
      .some((j) => j.state === 'UploadComplete' || j.state === 'InProgress');
    const eve = this.w.people.eve;
    for (const i of step.picks) {
      const id = this.lead(i);
      const rec = this.w.org.record('Lead', id);
      if (!rec || rec.IsDeleted === true || rec.IsConverted === true) continue;
      if (step.kind === 'edit') this.w.org.editAs(eve, 'Lead', id, { OwnerId: this.w.people[step.to] });
      else if (step.kind === 'convert') this.w.org.convertLead(id, eve);
      else this.w.org.delete('Lead', id);
      this.changedByOthers.add(id);
      if (running) this.bulkWindow.add(id);
    }
    this.log.push(`${step.kind} ${step.picks.length}${running ? ' (while a Bulk job runs)' : ''}`);
    this.markHistory();
  }

  private injectFault(fault: Fault): void {
    const f = this.w.org.faults;
    const ids = this.plan.slice(0, 5).map((r) => r.Id);
    if (fault === 'locks') f.lockRecords(ids, 2);
    if (fault === '503') f.failRequests({ method: 'PATCH' }, 503, 2);
    if (fault === '503-persistent') f.failRequests({ pathIncludes: '/services/data/' }, 503, Infinity);
    if (fault === 'drop-before') f.dropConnections({ method: 'PATCH', when: 'before' }, 1);
    if (fault === 'drop-after') f.dropConnections({ method: 'PATCH', when: 'after' }, 1);
    if (fault === 'session') f.expireSessions();
    if (fault === 'api-limit') f.setApiUsage(this.w.org.apiUsage.limit - 6);
    if (fault === 'slow-jobs') f.slowIngestJobs(8, 1500);
  }

  private async command(step: Extract<Step, { kind: 'apply' | 'undo' }>): Promise<CliResult> {
    this.injectFault(step.fault);
    this.fault = step.fault;
    this.phase = step.kind;
    const args = step.kind === 'apply' ? ['apply', RUN] : ['undo', RUN, '--yes'];
    const running = this.w.start(args, { auth: 'password', timeoutMs: 60_000 });
    let seen = 0;
    const edits = step.kind === 'apply' ? (step.editDuringJob ?? []) : [];
    this.requestHook = (kind, path, body) => {
      seen++;
      if (
        edits.length &&
        kind === 'bulkIngest' &&
        path.match(/ingest\/\w+$/) &&
        body.includes('UploadComplete')
      ) {
        // Someone edits while the job runs: the documented Bulk window.
        setImmediate(() => this.othersChange({ kind: 'edit', picks: edits.splice(0), to: 'eve' }));
      }
      if (step.killAt !== undefined && seen === step.killAt) running.child.kill('SIGKILL');
    };
    const result = await running.result;
    this.requestHook = undefined;
    this.phase = 'idle';
    return result;
  }

  /**
   * Owner is already what this write sets: a second write of a record (a resume writing twice). A Bulk
   * job a killed apply left running may write during a later undo: it is judged as the apply's write.
   */
  private beforeWrite(object: string, id: string, sets: unknown): void {
    if (object !== 'Lead' || this.phase === 'idle') return;
    const row = this.planned.get(id);
    const owner = String(this.w.org.record('Lead', id)?.OwnerId ?? '');
    if (!row || this.changedByOthers.has(id) || sets === undefined) return;
    const writer = sets === row.NewOwnerId ? 'apply' : 'undo';
    if (owner === sets && !(writer === 'apply' && this.undoTouched)) {
      this.flag(
        `${writer} wrote a record a second time (${this.s.api}, fault ${this.fault})`,
        `${id} already owned by ${owner}`,
      );
    }
  }

  private markHistory(): void {
    for (const id of this.w.leads) this.historySeen.set(id, this.w.org.ownerHistory('Lead', id).length);
  }

  /** Owner changes the running user made since the last step (EntityId rows of owner history). */
  private newWrites(): Write[] {
    const out: Write[] = [];
    for (const id of this.w.leads) {
      const rows = this.w.org.ownerHistory('Lead', id);
      for (const h of rows.slice(this.historySeen.get(id) ?? 0)) {
        if (h.DataType !== 'EntityId' || h.CreatedById !== this.w.org.userId) continue;
        out.push({ id, old: String(h.OldValue), new: String(h.NewValue) });
      }
    }
    this.markHistory();
    return out;
  }

  private everWrote(id: string, to: string): boolean {
    return this.w.org
      .ownerHistory('Lead', id)
      .some((h) => h.DataType === 'EntityId' && h.CreatedById === this.w.org.userId && h.NewValue === to);
  }

  private async results(): Promise<Record<string, string>[]> {
    return this.w.results(this.w.path(RUN));
  }

  private checkExit(what: string, r: CliResult, neverApplied = false): void {
    if (r.signal === 'SIGKILL') return;
    // Undo of a run never applied is bad usage: exit 2 is the documented answer.
    if (neverApplied && r.code === 2) return;
    if (r.code === 1 || /This is a bug/.test(r.stderr))
      this.flag(`${what} exit 1: ${cause(r)}`, firstLines(r));
    else if (![0, 3, 4, 130].includes(r.code ?? -1)) this.flag(`${what} exit ${r.code}`, firstLines(r));
  }

  private async checkApply(r: CliResult, writes: Write[]): Promise<void> {
    this.checkExit('apply', r);
    const results = await this.results();
    const status = new Map<string, string>();
    for (const row of results) {
      const id = row.Id ?? '';
      if (status.has(id)) this.flag('duplicate Id in results.csv', id);
      status.set(id, row.Status ?? '');
      if (!this.planned.has(id)) this.flag('results.csv row for a record not in the plan', id);
    }
    await this.checkUploadFiles();
    this.checkApplyWrites(writes, status, r);
    for (const row of results) this.checkResultRow(row);
    if (done(r))
      for (const p of this.plan)
        if (!status.has(p.Id)) this.flag('finished apply left planned records out of results.csv', p.Id);
  }

  /** Writes in the apply's direction: from the planned old owner (or another) to the planned new one. */
  private isApplyWrite(wr: Write): boolean {
    const row = this.planned.get(wr.id);
    return row !== undefined && wr.new === row.NewOwnerId && wr.new !== row.OldOwnerId;
  }

  private checkApplyWrites(writes: Write[], status: Map<string, string>, r: CliResult): void {
    if (this.undoTouched) return;
    for (const wr of writes) {
      const row = this.planned.get(wr.id);
      if (!row) {
        this.flag('apply wrote a record not in the plan', wr.id);
        continue;
      }
      if (wr.old === row.OldOwnerId) continue;
      if (this.bulkWindow.has(wr.id)) {
        if (status.get(wr.id) !== 'conflict' && done(r))
          this.flag(
            'Bulk overwrote a change made while its job ran, not reported conflict',
            `${wr.id}: ${status.get(wr.id)}`,
          );
      } else
        this.flag(
          'apply overwrote an owner someone else changed',
          `${wr.id}: was ${wr.old}, planned old ${row.OldOwnerId}`,
        );
    }
  }

  private checkResultRow(row: Record<string, string>): void {
    const id = row.Id ?? '';
    const plan = this.planned.get(id);
    if (!plan) return;
    const owner = String(this.w.org.record('Lead', id)?.OwnerId ?? '');
    const wrote = this.everWrote(id, plan.NewOwnerId);
    if (row.Status === 'updated') {
      if (!wrote)
        this.flag(
          this.changedByOthers.has(id)
            ? 'updated in results.csv, but someone else had set that owner'
            : 'updated in results.csv, but the run never wrote it',
          `${id} (owner ${owner})`,
        );
      // An undo stopped part-way restored it: the run's row stays true of what the run did.
      else if (
        owner !== plan.NewOwnerId &&
        !this.changedByOthers.has(id) &&
        !this.everWrote(id, plan.OldOwnerId)
      )
        this.flag('updated in results.csv, but the org has another owner', `${id}: ${owner}`);
    }
    if (row.Status === 'skipped' && wrote && !this.changedByOthers.has(id))
      this.flag('skipped in results.csv, but the run wrote it', id);
  }

  private async checkUploadFiles(): Promise<void> {
    for (const name of ['update.csv', 'undo.csv']) {
      const path = join(this.w.path(RUN), name);
      if (!existsSync(path)) continue;
      const ids = (await readCsv(path)).map((r) => r.Id ?? '');
      if (new Set(ids).size !== ids.length)
        this.flag(`duplicate Id in ${name}`, `${ids.length - new Set(ids).size} repeats`);
    }
  }

  private async checkUndo(r: CliResult, writes: Write[]): Promise<void> {
    const results = await this.results();
    this.checkExit('undo', r, results.length === 0);
    const complete = done(r);
    const setByRun = new Map(
      results.filter((x) => x.Status === 'updated' || x.Status === 'conflict').map((x) => [x.Id ?? '', x]),
    );
    for (const wr of writes) {
      const row = this.planned.get(wr.id);
      if (!row || !setByRun.has(wr.id)) this.flag('undo wrote a record the run did not set', wr.id);
      else if (wr.old !== row.NewOwnerId)
        this.flag('undo overwrote a change made after the run', `${wr.id}: was ${wr.old}`);
      else if (wr.new !== row.OldOwnerId)
        this.flag('undo wrote an owner other than the old one', `${wr.id}: ${wr.new}`);
    }
    if (this.lastUndoComplete && complete && writes.length)
      this.flag('undo twice changed something the second time', `${writes.length} writes`);
    if (complete && !this.undone) this.checkRestored(setByRun);
    if (complete) this.undone = true;
    this.undoTouched = true;
    this.lastUndoComplete = complete;
  }

  private checkRestored(setByRun: Map<string, Record<string, string>>): void {
    const inactive = new Set([this.w.people.ana, this.w.people.dan]);
    for (const [id] of setByRun) {
      const row = this.planned.get(id);
      if (!row || this.changedByOthers.has(id)) continue;
      if (inactive.has(row.OldOwnerId) && !this.s.inactiveOwnerPermission) continue;
      const owner = String(this.w.org.record('Lead', id)?.OwnerId ?? '');
      if (owner !== row.OldOwnerId) this.flag('finished undo left a record the run set', `${id}: ${owner}`);
    }
  }
}

/** The first line of the error without Ids, numbers and paths: one kind per cause. */
function cause(r: CliResult): string {
  const lines = r.stderr.split('\n');
  const line = lines.find((l) => l.startsWith('leadshift:')) ?? lines.find((l) => l.trim() !== '') ?? '';
  return line
    .replace(/\b(?=[a-zA-Z]*\d)[a-zA-Z0-9]{15,18}\b/g, 'ID')
    .replace(/\/\S+/g, 'PATH')
    .replace(/\d+/g, 'N')
    .slice(0, 90);
}

function done(r: CliResult): boolean {
  return r.signal === null && (r.code === 0 || r.code === 3);
}

function exitOf(r: CliResult): string {
  return r.signal ? r.signal : `exit ${r.code}`;
}

function firstLines(r: CliResult): string {
  return `${exitOf(r)}: ${r.stderr.trim().split('\n').slice(0, 3).join(' / ')}`.slice(0, 400);
}
