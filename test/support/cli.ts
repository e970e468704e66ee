/** Running the BUILT binary (bin/leadshift.js) as a child process, the way users and cron do. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/leadshift.js');
export const DEMO = join(ROOT, 'fixtures/demo');

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
    throw new Error(
      'dist/cli/main.js is missing: these tests run the built binary. Run `npm run build` (npm test does).',
    );
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  result: Promise<CliResult>;
  /** stdout + stderr so far. */
  output(): string;
}

// jsforce reads proxy variables at load and ignores NO_PROXY; the developer's own SF_* and
// LEADSHIFT_* settings must not leak into a test either.
const DROPPED_ENV = /^(https?_proxy|all_proxy|no_proxy|FORCE_COLOR)$|^(LEADSHIFT_|SF_)/i;

export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!DROPPED_ENV.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * Starts `node bin/leadshift.js ...args` in `cwd` without waiting: stdin closed (not a terminal, as in
 * cron), and asynchronous, so that a test org in the test's own process keeps serving.
 */
export function startCli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { child, result, output: () => stdout + stderr };
}

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(cwd, args, env).result;
}

/** A describe-friendly summary for failed expectations. */
export function show(result: {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr?: string;
}): string {
  const signal = result.signal ? ` (${result.signal})` : '';
  return `exit ${result.code}${signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr ?? '(in process: on the test stderr)'}`;
}
