/**
 * The shape every models/ command line shares: parse the arguments (a {@link UsageError} prints its message and
 * the usage, exit 2; `null` means `--help`), run, and turn any other failure into `Name: message`, exit 1.
 */
import { pathToFileURL } from 'node:url';

/** Thrown for bad command lines; the message is meant for the user. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs `body` with the parsed options when the calling module is the process entry point (so tests can import
 * the module's parser without starting it).
 *
 * @param moduleUrl the caller's `import.meta.url`.
 */
export function runCommand<T>(moduleUrl: string, usage: string, parse: (argv: readonly string[]) => T | null, body: (options: T) => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  const main = async (): Promise<void> => {
    let options: T | null;
    try {
      options = parse(process.argv.slice(2));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      console.error(`${e.message}\n\n${usage}`);
      process.exitCode = 2;
      return;
    }
    if (options === null) {
      console.log(usage);
      return;
    }
    await body(options);
  };
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
    process.exitCode = 1;
  });
}
