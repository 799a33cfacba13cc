/**
 * Typed errors shared by every layer. Each carries an exit code for the CLI's single top-level
 * handler and never a secret value: messages name objects and keys, not their contents.
 */
export class FerryError extends Error {
  /** Process exit code the CLI uses when this error reaches the top. */
  readonly exitCode: number = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line was wrong: unknown command, missing or bad flag. */
export class UsageError extends FerryError {
  override readonly exitCode = 2;
}

/** Input the user gave (a manifest, a template, a data file) is invalid. */
export class InputError extends FerryError {}

/** A prerequisite (a tool, a server, a file) is missing from this machine. */
export class PrerequisiteError extends FerryError {
  override readonly exitCode = 3;
}

/** The message of a thrown value, for logs: only our own messages, which never carry values. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}
