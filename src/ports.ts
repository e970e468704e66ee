/** What the core needs from the outside world; commands pass real ones, tests pass scripted ones. */

export interface Progress {
  tick(count?: number): void;
  done(): void;
}

export interface Reporter {
  /** A line of progress or advice on stderr. Silent under --json. */
  info(message: string): void;
  warn(message: string): void;
  /** A bar on a terminal, plain lines otherwise, nothing under --json. */
  progress(label: string, total?: number): Progress;
}

export interface Prompt {
  /** Whether a person can be asked (a terminal, not --json). */
  readonly interactive: boolean;
  confirm(message: string): Promise<boolean>;
  /** Asks for a text to be typed back exactly, e.g. the org's host before a production write. */
  typeToConfirm(message: string, expected: string): Promise<boolean>;
  /** A line of text; `fallback` when the answer is empty. */
  ask(message: string, fallback?: string): Promise<string>;
  /** One of a short list. */
  choose<T extends string>(message: string, choices: ReadonlyArray<Choice<T>>): Promise<T>;
  /** One of a long list, narrowed by typing; undefined when the person skips. */
  search(message: string, choices: ReadonlyArray<Choice<string>>): Promise<string | undefined>;
}

export interface Choice<T extends string> {
  name: string;
  value: T;
}

export interface Ports {
  reporter: Reporter;
  prompt: Prompt;
  clock: () => Date;
  env: Record<string, string | undefined>;
  cwd: string;
}
