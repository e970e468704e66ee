import cliProgress from 'cli-progress';
import type { Progress, Reporter } from '../ports.js';

/**
 * Progress and advice on stderr: a bar on a terminal, a plain line now and then otherwise. Under --json
 * only warnings remain (stdout still carries the one document).
 */
export function makeReporter(options: { json: boolean; stream?: NodeJS.WriteStream }): Reporter {
  const stream = options.stream ?? process.stderr;
  if (options.json) {
    return {
      info: () => undefined,
      warn: (message) => void stream.write(`warning: ${message}\n`),
      progress: () => ({ tick: () => undefined, done: () => undefined }),
    };
  }
  return {
    info: (message) => void stream.write(`${message}\n`),
    warn: (message) => void stream.write(`warning: ${message}\n`),
    progress: (label, total) =>
      stream.isTTY ? barProgress(stream, label, total) : lineProgress(stream, label, total),
  };
}

function barProgress(stream: NodeJS.WriteStream, label: string, total: number | undefined): Progress {
  const format = total
    ? `${label} {bar} {value}/{total} records, {rate}/s, {eta_formatted} left`
    : `${label} {value} records, {rate}/s`;
  const bar = new cliProgress.SingleBar(
    { format, stream, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let value = 0;
  bar.start(total ?? 0, 0, { rate: '0' });
  return {
    tick: (n = 1) => {
      value += n;
      bar.update(value, {
        rate: Math.round(value / Math.max((Date.now() - started) / 1000, 0.001)).toString(),
      });
    },
    done: () => bar.stop(),
  };
}

function lineProgress(stream: NodeJS.WriteStream, label: string, total: number | undefined): Progress {
  const started = Date.now();
  let value = 0;
  let lastPrint = started;
  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    const rate = Math.round(value / Math.max(seconds, 0.001));
    stream.write(`${label}: ${value}${total ? `/${total}` : ''} records (${rate}/s)\n`);
  };
  return {
    tick: (n = 1) => {
      value += n;
      // Logs from cron should stay readable: one line every 10 seconds at most.
      if (Date.now() - lastPrint >= 10_000) {
        lastPrint = Date.now();
        line();
      }
    },
    done: () => {
      if (value > 0) line();
    },
  };
}
