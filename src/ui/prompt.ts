import { InterruptedError } from '../errors.js';
import type { Choice, Prompt } from '../ports.js';

const SKIP = '\u0000skip';

/**
 * Asks on the terminal with inquirer; loaded on demand so that scripted runs never pay for it. Ctrl-C
 * at a question, or `signal` aborting (SIGTERM), ends the question as an interruption (exit 130).
 */
export function makePrompt(interactive: boolean, signal?: AbortSignal): Prompt {
  const inquirer = () => import('@inquirer/prompts');
  const onStderr = { output: process.stderr, ...(signal ? { signal } : {}) };
  return {
    interactive,
    confirm: async (message) =>
      asked(async () => (await inquirer()).confirm({ message, default: false }, onStderr)),
    typeToConfirm: async (message, expected) =>
      asked(async () => (await (await inquirer()).input({ message }, onStderr)).trim() === expected),
    ask: async (message, fallback) =>
      asked(async () => (await (await inquirer()).input({ message, default: fallback }, onStderr)).trim()),
    choose: async <T extends string>(message: string, choices: ReadonlyArray<Choice<T>>) =>
      asked(async () => (await inquirer()).select<T>({ message, choices: [...choices] }, onStderr)),
    search: async (message, choices) => {
      const { search } = await inquirer();
      const answer = await asked(() =>
        search<string>(
          {
            message,
            source: (term) => {
              const text = (term ?? '').toLowerCase();
              const matches = choices
                .filter((choice) => choice.name.toLowerCase().includes(text))
                .slice(0, 50);
              return [{ name: '(skip: leave unmapped)', value: SKIP }, ...matches];
            },
          },
          onStderr,
        ),
      );
      return answer === SKIP ? undefined : answer;
    },
  };
}

/** inquirer's ExitPromptError (Ctrl-C) and AbortPromptError (the signal) become an interruption. */
async function asked<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'ExitPromptError' || name === 'AbortPromptError')
      throw new InterruptedError('interrupted at the question: nothing was written');
    throw error;
  }
}

/**
 * Scripted answers for tests: no test ever waits on stdin. Booleans answer confirmations, strings
 * answer everything else; `undefined` skips a search. Asking past the script is a test failure.
 */
export function scriptedPrompt(answers: Array<boolean | string | undefined>): Prompt & { asked: string[] } {
  const queue = [...answers];
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (queue.length === 0) throw new Error(`unscripted question: ${message}`);
    return queue.shift();
  };
  return {
    interactive: true,
    asked,
    confirm: async (message) => next(message) === true,
    typeToConfirm: async (message, expected) => next(message) === expected,
    ask: async (message, fallback) => {
      const answer = next(message);
      return typeof answer === 'string' && answer !== '' ? answer : (fallback ?? '');
    },
    choose: async <T extends string>(message: string, choices: ReadonlyArray<Choice<T>>) => {
      const answer = next(message);
      const choice = choices.find((c) => c.value === answer);
      if (!choice) throw new Error(`scripted answer ${String(answer)} is not a choice of: ${message}`);
      return choice.value;
    },
    search: async (message) => {
      const answer = next(message);
      return typeof answer === 'string' ? answer : undefined;
    },
  };
}
