import type { CommandContext } from './context.js';

/** How a command ended without an error; main turns it into the exit code. */
export type Outcome = 'done' | 'some records failed' | 'some owners not told';

/** How a command hands its work to main: main builds the context and turns the outcome into an exit code. */
export type RunAction = (action: (context: CommandContext) => Promise<Outcome>) => Promise<void>;
