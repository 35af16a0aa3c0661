/**
 * Secrets that must never leave the process: the password argument of `AT+CWJAP` /
 * `AT+CWSAP` (reference/formats.md §5.3 and §10: the second quoted parameter, with `\"`
 * and `\,` escapes inside). Applied to text before any record or published line exists.
 */
const AT_PASSWORD = /(AT\+CW(?:JAP|SAP)(?:_CUR|_DEF)?="(?:[^"\\]|\\.)*",")((?:[^"\\]|\\.)*)(")/g;
// A command line cut before its closing quote (a torn or truncated line) still hides the rest.
const AT_PASSWORD_UNTERMINATED = /(AT\+CW(?:JAP|SAP)(?:_CUR|_DEF)?="(?:[^"\\]|\\.)*",")((?:[^"\\]|\\.)*)$/;

export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  if (!text.includes('AT+CW')) return text;
  return text.replace(AT_PASSWORD, `$1${REDACTED}$3`).replace(AT_PASSWORD_UNTERMINATED, `$1${REDACTED}`);
}
