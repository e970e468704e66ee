import type { Prompt } from '../core/ports.js';

/** Asks on the terminal with inquirer; loaded on demand so that scripted runs never pay for it. */
export function makePrompt(interactive: boolean): Prompt {
  return {
    interactive,
    confirm: async (message) => {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: false }, { output: process.stderr });
    },
    typeToConfirm: async (message, expected) => {
      const { input } = await import('@inquirer/prompts');
      const answer = await input({ message }, { output: process.stderr });
      return answer.trim() === expected;
    },
  };
}

/** Scripted answers for tests: no test ever waits on stdin. */
export function scriptedPrompt(answers: Array<boolean | string>): Prompt {
  const queue = [...answers];
  return {
    interactive: true,
    confirm: async () => queue.shift() === true,
    typeToConfirm: async (_message, expected) => queue.shift() === expected,
  };
}
