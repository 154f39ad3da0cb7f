/**
 * The `--out FILE` of run, sweep, price, presets and bench (issue 13, defect 3): checked before any work, so
 * a run is never spent on a file it cannot write, and written after the document is on stdout, so a write
 * that fails at the end loses nothing. Missing folders are made one at a time (Node's recursive mkdir loops
 * on some paths under /proc, defect 1).
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileProblem, UsageError } from './usage-error';

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? (e as { code: unknown }).code : '';
    // Missing, or below a file: the walk up to the nearest existing folder says which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`--out: cannot use ${path} (${fileProblem(e)})`);
  }
}

/** Refuses an `--out` that cannot be written (a folder, a path through a file, no permission); makes its missing folders. */
export function prepareOutput(out: string): void {
  const target = resolve(out);
  const existing = statOrNull(target);
  if (existing?.isDirectory()) throw new UsageError(`--out: ${out} is a folder; name a file in it`);
  const missing: string[] = [];
  let folder = dirname(target);
  let found = existing ? null : statOrNull(folder);
  while (!existing && !found && dirname(folder) !== folder) {
    missing.unshift(folder);
    folder = dirname(folder);
    found = statOrNull(folder);
  }
  if (found && !found.isDirectory()) throw new UsageError(`--out: ${folder} is a file, not a folder`);
  try {
    accessSync(existing ? target : folder, constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out: cannot write ${existing ? out : `in ${folder}`} (${fileProblem(e)})`);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (e) {
      throw new UsageError(`--out: cannot make the folder ${dir} (${fileProblem(e)})`);
    }
  }
}

/** Writes `text` to `out`; null, or why it could not, naming the file. */
export function writeOutput(out: string, text: string): string | null {
  try {
    writeFileSync(out, text);
    return null;
  } catch (e) {
    return `--out: could not write ${out} (${fileProblem(e)})`;
  }
}
