import { InputError } from '../errors.ts';

/** Which phase of the template engine failed. */
export type TemplateErrorPhase = 'parse' | 'exec' | 'limit';

/**
 * A template failed to parse or execute. `message` is Go's text/template error text, byte for
 * byte (e.g. `template: t:1:4: executing "t" at <.a.b>: map has no entry for key "b"`), so callers
 * can wrap it the way ESO does (`unable to execute template at key …: <message>`).
 */
export class TemplateError extends InputError {
  /** Name of the template being parsed or executed (Go's ParseName). */
  readonly templateName: string;
  /** 1-based line of the failure, 0 when unknown. */
  readonly line: number;
  /** 0-based byte column as Go prints it (exec errors only; -1 when Go prints no column). */
  readonly column: number;
  readonly phase: TemplateErrorPhase;
  /**
   * The message with data values left out, for status, events and logs: Go prints the value in
   * a few errors (e.g. `range can't iterate over <value>`), and data may be a secret.
   */
  readonly redactedMessage: string;

  constructor(
    message: string,
    where: {
      templateName: string;
      line?: number;
      column?: number;
      phase: TemplateErrorPhase;
      redactedMessage?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateError';
    this.templateName = where.templateName;
    this.line = where.line ?? 0;
    this.column = where.column ?? -1;
    this.phase = where.phase;
    this.redactedMessage = where.redactedMessage ?? message;
  }
}
