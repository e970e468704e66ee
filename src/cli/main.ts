import { Command, CommanderError, Option } from 'commander';
import { InputError, InterruptedError, RefusedError, StoppedError } from '../errors.js';
import { toolVersion } from '../journal/run-manifest.js';
import { SessionExpiredError } from '../salesforce/errors.js';
import { registerApply } from './commands/apply.js';
import { registerInit } from './commands/init.js';
import { registerNotify } from './commands/notify.js';
import { registerOffboard } from './commands/offboard.js';
import { registerOwners } from './commands/owners.js';
import { registerPlan } from './commands/plan.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerUndo } from './commands/undo.js';
import type { CommandContext, Environment, GlobalOptions } from './context.js';
import { failureEnvelope, successEnvelope } from './json.js';
import type { Outcome, RunAction } from './run-action.js';

export const EXIT = { ok: 0, bug: 1, input: 2, partial: 3, refused: 4, interrupted: 130 } as const;

/** Parses argv, runs one command, and turns its outcome into the exit code README.md lists. */
export async function main(argv: string[], environment?: Partial<Environment>): Promise<number> {
  const abort = new AbortController();
  const env: Environment = {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stdinIsTty: process.stdin.isTTY === true,
    signal: abort.signal,
    ...environment,
  };
  const stopOnSignal = installSignalHandlers(abort);
  let exitCode: number = EXIT.ok;
  let json = false;
  const warnings: string[] = [];
  const program = buildProgram(async (action) => {
    const options = program.opts<GlobalOptions>();
    json = options.json === true;
    // Loaded here, not at the top: --help should not pay for chalk and the progress bar.
    const { makeContext } = await import('./context.js');
    const context = makeContext(options, env);
    if (!json) {
      exitCode = exitCodeOfOutcome(await action(context));
      return;
    }
    exitCode = await runAsJson(action, context, warnings, env);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // A usage error stops commander before any action runs, so --json is read from argv itself.
    const asJson = json || argv.includes('--json');
    exitCode = reportError(error, asJson ? warnings : undefined, env, commandOf(argv, program));
  } finally {
    stopOnSignal();
  }
  return exitCode;
}

/** The action's one printJson value and its warnings go into one envelope, written once it is done. */
async function runAsJson(
  action: Parameters<RunAction>[0],
  context: CommandContext,
  warnings: string[],
  env: Environment,
): Promise<number> {
  let result: unknown;
  context.printJson = (value) => {
    result = value;
  };
  const { reporter } = context.ports;
  const warn = (message: string) => {
    warnings.push(message);
    reporter.warn(message);
  };
  context.ports.reporter = { ...reporter, warn };
  const code = exitCodeOfOutcome(await action(context));
  writeJson(env, successEnvelope(code, result, warnings));
  return code;
}

function writeJson(env: Environment, value: unknown): void {
  env.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function commandOf(argv: string[], program: Command): string {
  const names = new Set(program.commands.map((command) => command.name()));
  return argv.find((arg) => names.has(arg)) ?? '';
}

function buildProgram(run: RunAction): Command {
  const program = new Command('leadshift')
    .description(
      'Move Salesforce record ownership in bulk: select, plan, review the diff, apply in batches, undo.',
    )
    .version(toolVersion(), '-V, --version')
    .addOption(new Option('--json', 'print one JSON document on stdout and nothing else; never prompts'))
    .option('--no-color', 'no colour (also when stdout is not a terminal, or NO_COLOR is set)')
    .option(
      '--home <dir>',
      'run home holding runs/, round-robin turns and the lock (default $LEADSHIFT_HOME or ./.leadshift)',
    )
    .enablePositionalOptions(false)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerPlan(program, run);
  registerRun(program, run);
  registerOffboard(program, run);
  registerApply(program, run);
  registerUndo(program, run);
  registerNotify(program, run);
  registerOwners(program, run);
  registerRuns(program, run);
  registerInit(program, run);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeErr: (text) => process.stderr.write(text) });
    // Global flags work after the command name too: `leadshift plan --json`.
    command
      .addOption(new Option('--json').hideHelp())
      .addOption(new Option('--no-color').hideHelp())
      .addOption(new Option('--home <dir>').hideHelp());
    command.hook('preAction', (_this, action) => {
      Object.assign(program.opts(), pickGlobals(action.opts()));
    });
  }
  program.addHelpText(
    'after',
    `
Examples:
  leadshift run --from salesforce --owner ana@acme.com --map departed.csv --dry-run
  leadshift run --job jobs/daily.yml --yes
  leadshift plan --job jobs/daily.yml --out review && leadshift apply review
  leadshift undo .leadshift/runs/20261124T060000Z-3f9a1c
  leadshift notify .leadshift/runs/20261124T060000Z-3f9a1c

Exit codes: 0 done, 1 unexpected failure, 2 bad input (nothing written), 3 some records failed
or some new owners could not be told, 4 refused or stopped (lock, limit, declined, no terminal,
Salesforce unavailable),
130 interrupted (resume with apply <run-dir>).`,
  );
  return program;
}

function pickGlobals(options: Record<string, unknown>): GlobalOptions {
  const globals: GlobalOptions = {};
  if (options.json === true) globals.json = true;
  if (options.color === false) globals.color = false;
  if (typeof options.home === 'string') globals.home = options.home;
  return globals;
}

/** `warnings` is given under --json: the failure is then also one envelope on stdout. */
function reportError(
  error: unknown,
  warnings: string[] | undefined,
  env: Environment,
  command: string,
): number {
  if (error instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
      return EXIT.ok;
    // commander has already printed the message on stderr; --json still gets its one document.
    if (warnings) writeJson(env, failureEnvelope(error, EXIT.input, warnings, command));
    return EXIT.input;
  }
  const code = exitCodeOf(error);
  const message = messageOf(error);
  if (warnings) writeJson(env, failureEnvelope(error, code, warnings));
  process.stderr.write(`${message}\n`);
  if (code === EXIT.bug && error instanceof Error && error.stack) {
    process.stderr.write(
      `${error.stack}\nThis is a bug in leadshift. Any run directory written so far is listed by: leadshift runs\n`,
    );
  }
  return code;
}

function exitCodeOfOutcome(outcome: Outcome): number {
  return outcome === 'done' ? EXIT.ok : EXIT.partial;
}

/** The one place an error becomes an exit code, by its class. */
function exitCodeOf(error: unknown): number {
  // A session that cannot be renewed before any write is a credential problem, like a refused login.
  if (error instanceof InputError || error instanceof SessionExpiredError) return EXIT.input;
  // Salesforce stopping the work (outage, network, daily limit, a refused request) wrote nothing wrong.
  if (error instanceof RefusedError || error instanceof StoppedError) return EXIT.refused;
  if (error instanceof InterruptedError) return EXIT.interrupted;
  return EXIT.bug;
}

function messageOf(error: unknown): string {
  if (error instanceof InputError)
    return `leadshift: bad input, nothing was written:\n  ${error.message.split('\n').join('\n  ')}`;
  if (error instanceof RefusedError) return `leadshift: refused: ${error.message}`;
  if (error instanceof StoppedError) {
    const hint = error.hint ? ` ${error.hint}.` : '';
    const resume = error.runDir
      ? ` results.csv is true for every record written so far; resume with: leadshift apply ${error.runDir}`
      : '';
    return `leadshift: stopped: ${error.message}${/[.?!]$/.test(error.message) ? '' : '.'}${hint}${resume}`;
  }
  if (error instanceof InterruptedError) {
    return `leadshift: ${error.message}.${error.runDir ? ` Resume with: leadshift apply ${error.runDir}` : ''}`;
  }
  return `leadshift: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * First Ctrl-C or SIGTERM: no new write starts (a plan being made is finished and kept, a batch in
 * flight is finished and journalled), then exit 130. A second one: stop now.
 */
function installSignalHandlers(abort: AbortController): () => void {
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(
      '\nStopping: nothing more will be written after the batch in flight (press Ctrl-C again to stop at once)...\n',
    );
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
