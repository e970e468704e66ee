import { Chalk, type ChalkInstance } from 'chalk';

/** Colour only for a person at a terminal: never under --no-color, NO_COLOR, --json or a pipe. */
export function makeStyle(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}

export function colorWanted(
  options: { color?: boolean; json?: boolean },
  env: Record<string, string | undefined>,
  isTty: boolean,
): boolean {
  return options.color !== false && !options.json && !('NO_COLOR' in env) && isTty;
}

const NUMBER = new Intl.NumberFormat('en-US');

export function count(value: number): string {
  return NUMBER.format(value);
}

/** Left-aligned text columns and right-aligned number columns, for the diff's tables. */
export function table(rows: string[][], numeric: ReadonlySet<number>, indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - visibleLength(cell));
          return numeric.has(i) ? pad + cell : i === row.length - 1 ? cell : cell + pad;
        })
        .join('  '),
  );
}

function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width.
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
