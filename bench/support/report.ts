// What every benchmark shares: flags, aligned tables, PASS/MISS target lines, medians and human-sized numbers.

export interface BenchFlags {
  /** Smaller inputs and fewer rounds: a smoke run of the whole suite in well under a minute. */
  quick: boolean;
}

export function benchFlags(argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  return { quick: argv.includes('--quick') };
}

export function heading(title: string): void {
  console.log(`\n== ${title}`);
}

/** Prints rows under headers, each column as wide as its widest cell; numbers-looking cells align right. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) => rows.every((row) => /^[-+~<>]?[\d.,]+\s?\S*$/.test(row[column] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** One line per target, in a fixed shape the runner collects: `PASS <target>: <measured>` or `MISS ...`. */
export function target(name: string, met: boolean, measured: string): boolean {
  console.log(`${met ? 'PASS' : 'MISS'} ${name}: ${measured}`);
  return met;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Fixed decimals, with thousands separators for the integer part. */
export function fmt(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function mib(bytes: number, decimals = 1): string {
  return `${fmt(bytes / 1048576, decimals)} MiB`;
}

export function ms(milliseconds: number, decimals = 0): string {
  return `${fmt(milliseconds, decimals)} ms`;
}

export function ratio(value: number, decimals = 1): string {
  return `${fmt(value, decimals)}x`;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed gives the same corpus on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}
