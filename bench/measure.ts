import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One line of the benchmark table. */
export interface Row {
  scenario: string;
  measure: string;
  value: string;
  target?: string;
  met?: boolean;
}

export interface Measurement {
  seconds: number;
  /** Peak RSS in bytes, where the process could report it (node processes, and /usr/bin/time's). */
  rssBytes?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const REPORT_RSS = new URL('./report-rss.mjs', import.meta.url).pathname;

/** Runs a command once and measures wall time, and for node commands the peak RSS. */
export async function measure(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Measurement> {
  const rssFile = join(tmpdir(), `leadshift-bench-rss-${process.pid}-${Date.now()}`);
  const isNode = command === process.execPath;
  // Other programs (Miller) report their peak through GNU time, where the machine has it.
  const gnuTime = !isNode && existsSync('/usr/bin/time');
  const finalArgs = isNode
    ? ['--import', REPORT_RSS, ...args]
    : gnuTime
      ? ['-f', '%M', '-o', rssFile, command, ...args]
      : args;
  const program = gnuTime ? '/usr/bin/time' : command;
  const started = performance.now();
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(program, finalArgs, {
        cwd: options.cwd,
        env: { ...cleanEnv(), ...options.env, LEADSHIFT_BENCH_RSS_FILE: rssFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  const seconds = (performance.now() - started) / 1000;
  let rssBytes: number | undefined;
  try {
    const text = readFileSync(rssFile, 'utf8').trim();
    // GNU time reports kilobytes on its last line; report-rss.mjs writes bytes.
    rssBytes = gnuTime ? Number(text.split('\n').pop()) * 1024 : Number(text);
    rmSync(rssFile);
  } catch {
    rssBytes = undefined;
  }
  return { seconds, rssBytes, ...result };
}

/** The median of several runs, by wall time: one slow run on a busy machine does not decide. */
export async function medianOf(runs: number, run: () => Promise<Measurement>): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(await run());
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)] as Measurement;
}

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(https?_proxy|all_proxy|SF_|LEADSHIFT_)/i.test(key)) env[key] = value;
  }
  return env;
}
