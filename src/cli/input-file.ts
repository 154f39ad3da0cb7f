/**
 * The one reader of the files the CLI is given (`--config`, `--data`): a missing file, a folder, a device or
 * a file too large is refused with a reason that names the option and the file, never read as something else
 * (a share link, JSON text) and never waited on (a FIFO or /dev/zero is no regular file).
 */
import { readFileSync, statSync } from 'node:fs';
import { fileProblem, UsageError } from './usage-error';

/** The text of `file`, given with the option `flag`; at most `maxBytes` long. */
export function readInputFile(flag: string, file: string, maxBytes: number): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UsageError(`${flag}: ${file} is a folder, not a file`);
    if (!stat.isFile()) throw new UsageError(`${flag}: ${file} is not a regular file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = e instanceof Error && 'code' in e ? (e as { code: unknown }).code : '';
    throw new UsageError(code === 'ENOENT' ? `${flag}: no such file: ${file}` : `${flag}: cannot read ${file} (${fileProblem(e)})`);
  }
  if (size > maxBytes) throw new UsageError(`${flag}: ${file} holds ${size.toLocaleString('en-US')} bytes; at most ${maxBytes.toLocaleString('en-US')}`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file} (${fileProblem(e)})`);
  }
}

/** Whether `source` names something on disk (a file, a folder, anything `stat` finds). */
export function existsOnDisk(source: string): boolean {
  try {
    statSync(source);
    return true;
  } catch {
    return false;
  }
}
