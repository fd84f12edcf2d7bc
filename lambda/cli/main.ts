// Entry point of the `news-alerts` command: parses argv and dispatches to a subcommand.
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  process.stdout.write(`news-alerts ${command ?? ''}\n`);
  return 0;
}
