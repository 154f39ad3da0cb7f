/**
 * The one way a CLI message reaches the terminal (issue 13, defect 7): every line written to stderr, whether
 * progress, a warning or the reason for an exit, passes through `terminalText`, which shows control characters
 * (C0, DEL, C1, line and paragraph separators, bidirectional overrides) as visible escapes, so a CSV header,
 * a file name or a config value cannot move the cursor, retitle the window or split the one-line reason.
 */

// C0 and DEL, C1, U+2028-2029 (line breaks), U+200E-200F, U+202A-202E and U+2066-2069 (bidirectional controls).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character replaced by its escape (`\x1b`, `\u202e`); other text as it is. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Writes one line to stderr, its control characters escaped. */
export function stderrLine(text: string): void {
  process.stderr.write(`${terminalText(text)}\n`);
}
