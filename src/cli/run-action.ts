import type { CommandContext } from './context.js';

/** How a command hands its work to main: main builds the context and turns the result into an exit code. */
export type RunAction = (action: (context: CommandContext) => Promise<number>) => Promise<void>;
