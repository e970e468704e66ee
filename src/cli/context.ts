import type { ChalkInstance } from 'chalk';
import { resolveHome } from '../journal/run-home.js';
import type { Ports } from '../ports.js';
import { makePrompt } from '../ui/prompt.js';
import { makeReporter } from '../ui/reporter.js';
import { colorWanted, makeStyle } from '../ui/style.js';

export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  home?: string;
  verbose?: boolean;
}

/** What a command needs to talk to the world: ports for the core, and stdout for results. */
export interface CommandContext {
  ports: Ports;
  json: boolean;
  style: ChalkInstance;
  home: string;
  print(text: string): void;
  printJson(value: unknown): void;
  /** Ctrl-C and SIGTERM abort this; the apply loop finishes its batch, then stops. */
  signal: AbortSignal;
}

export interface Environment {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stdinIsTty: boolean;
  signal: AbortSignal;
  /** Replaces the real prompt in tests. */
  prompt?: Ports['prompt'];
  clock?: () => Date;
}

export function makeContext(options: GlobalOptions, environment: Environment): CommandContext {
  const json = options.json === true;
  const stdoutTty = environment.stdout.isTTY === true;
  const style = makeStyle(colorWanted(options, environment.env, stdoutTty));
  const interactive = !json && environment.stdinIsTty && process.stderr.isTTY === true;
  return {
    ports: {
      reporter: makeReporter({ json }),
      // --json never prompts, whatever prompt was injected.
      prompt: json ? makePrompt(false) : (environment.prompt ?? makePrompt(interactive, environment.signal)),
      clock: environment.clock ?? (() => new Date()),
      env: environment.env,
      cwd: environment.cwd,
    },
    json,
    style,
    home: resolveHome(options.home, environment.env, environment.cwd),
    print: (text) => void environment.stdout.write(text),
    printJson: (value) => void environment.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    signal: environment.signal,
  };
}
