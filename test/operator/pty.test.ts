/**
 * The REAL inquirer prompt on a pseudo terminal: the built binary runs under `script` (util-linux), or
 * python3's pty module when `script` is missing, so its stdin and stderr are a terminal. The test waits for
 * the question on the screen and types the answer.
 */

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  BIN,
  childEnv,
  cleanUp,
  demoCopy,
  readJson,
  runDirs,
  smallOrg,
  tempDir,
  waitFor,
} from './helpers.js';

function has(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

const HAS_SCRIPT = has('script', ['--version']);
const HAS_PYTHON_PTY = !HAS_SCRIPT && has('python3', ['-c', 'import pty']);
const NO_PTY = !HAS_SCRIPT && !HAS_PYTHON_PTY;

const PY_PTY =
  'import os, pty, sys\nstatus = pty.spawn(sys.argv[1:])\nsys.exit(os.waitstatus_to_exitcode(status))';

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

interface Terminal {
  /** Everything the terminal showed so far, without escape sequences. */
  screen(): string;
  type(text: string): void;
  exit: Promise<number | null>;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}[78]`, 'g');

/** Runs `leadshift ...args` on a pseudo terminal in `cwd`. */
function onTerminal(cwd: string, args: string[], env: Record<string, string> = {}): Terminal {
  const argv = [process.execPath, BIN, ...args];
  const [command, commandArgs] = HAS_SCRIPT
    ? ['script', ['-qfec', argv.map(quote).join(' '), '/dev/null']]
    : ['python3', ['-c', PY_PTY, ...argv]];
  const child = spawn(command, commandArgs as string[], {
    cwd,
    env: childEnv({ TERM: 'xterm', COLUMNS: '120', LINES: '40', ...env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return {
    screen: () => raw.replace(ANSI, ''),
    type: (text) => void child.stdin.write(text),
    exit,
  };
}

beforeAll(assertBuilt);
afterAll(cleanUp);

const QUESTION = 'Write 737 owner changes to update.csv?';

describe.skipIf(NO_PTY)(
  'the real prompt on a pseudo terminal (script or python3 pty)',
  { concurrent: true },
  () => {
    it('run --job waits for the question; "y" + Enter applies, exit 0, with a progress bar', async () => {
      const dir = await demoCopy();
      const term = onTerminal(dir, ['run', '--job', 'job.yml', '--home', 'h']);
      await waitFor(() => term.screen().includes(QUESTION));
      // Still waiting for the answer: nothing applied yet.
      const [runDir = ''] = await runDirs(join(dir, 'h'));
      expect(existsSync(join(runDir, 'results.csv'))).toBe(false);
      term.type('y\r');
      const code = await term.exit;
      const screen = term.screen();
      expect(code, screen).toBe(0);
      expect(screen).toMatch(/Applied .*737 updated/);
      // On a terminal, progress is a bar (cli-progress format), not the plain "Applying: n/m records" lines.
      expect(screen).toMatch(/Applying .*737\/737 records/);
      expect(screen).not.toMatch(/Applying: \d/);
      expect((await readJson(join(runDir, 'run.json'))).status).toBe('applied');
      expect(existsSync(join(runDir, 'update.csv'))).toBe(true);
    });

    it('"n" + Enter declines: exit 4, nothing written', async () => {
      const dir = await demoCopy();
      const term = onTerminal(dir, ['run', '--job', 'job.yml', '--home', 'h']);
      await waitFor(() => term.screen().includes(QUESTION));
      term.type('n\r');
      const code = await term.exit;
      expect(code, term.screen()).toBe(4);
      expect(term.screen()).toMatch(/confirmation declined/);
      const [runDir = ''] = await runDirs(join(dir, 'h'));
      expect((await readJson(join(runDir, 'run.json'))).status).toBe('declined');
      expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
    });

    it('Ctrl-C at the question: exit 130, no stack trace, the plan kept with the command that applies it', async () => {
      const dir = await demoCopy();
      const term = onTerminal(dir, ['run', '--job', 'job.yml', '--home', 'h']);
      await waitFor(() => term.screen().includes(QUESTION));
      term.type('\u0003');
      const code = await term.exit;
      const screen = term.screen();
      expect(code, screen).toBe(130);
      expect(screen).not.toMatch(/This is a bug|ExitPromptError|at .*\.js:\d+/);
      const [runDir = ''] = await runDirs(join(dir, 'h'));
      expect(flat(screen)).toContain(`Resume with: leadshift apply ${runDir}`);
      expect(existsSync(join(runDir, 'plan.csv'))).toBe(true);
      expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
      expect(existsSync(join(runDir, 'results.csv'))).toBe(false);
    });

    it('production org: the host typed on the terminal applies', async () => {
      const o = await smallOrg({ isSandbox: false });
      const dir = await tempDir();
      const host = new URL(o.org.url).host;
      const term = onTerminal(
        dir,
        ['run', '--from', 'salesforce', '--inactive-owners', '--to', 'ben@acme.com', '--home', 'h'],
        o.tokenEnv(),
      );
      // inquirer wraps the question at the terminal's width.
      await waitFor(() => flat(term.screen()).includes('Type the host to go on')).catch(() => {
        throw new Error(`no question on the terminal:\n${term.screen()}`);
      });
      expect(flat(term.screen())).toContain(`PRODUCTION org ${host}`);
      term.type(`${host}\r`);
      const code = await term.exit;
      expect(code, term.screen()).toBe(0);
      for (const id of o.leads) expect(o.owner(id)).toBe(o.people.ben);
    });
  },
);

it.skipIf(!NO_PTY)(
  'pty tests skipped: neither `script` (util-linux) nor python3 with pty is installed',
  () => {
    expect(NO_PTY).toBe(true);
  },
);
