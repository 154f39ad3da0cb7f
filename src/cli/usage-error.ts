/**
 * Bad input to the command line (DESIGN.md "CLI"): an option, a file or a value the CLI refuses before or
 * instead of running. Its message is the one-line reason, naming the option, file, line or field; the process
 * exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Why a file-system call failed, in words, from Node's error code. */
export function fileProblem(e: unknown): string {
  const code = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : '';
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'it is a folder',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it already exists',
  };
  return Object.hasOwn(words, code) ? `${words[code]}, ${code}` : e instanceof Error ? e.message : String(e);
}
