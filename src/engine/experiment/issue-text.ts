/**
 * How a schema's refusal is worded (issue 13, defect 6): one line per issue, "field.path: reason", with every
 * choice among fixed values (z.enum, z.literal, a union of literals, a discriminated union's tag) worded the
 * same way, listing the allowed values and the one received: `market.daysPerYear: must be one of 250, 252,
 * 365, not 200`. Every parser of the experiment's files (experiment, sweep, price request) words its issues here.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Primitive = z.core.util.Primitive;

const shown = (v: unknown): string => {
  const text = typeof v === 'bigint' ? `${v}` : typeof v === 'symbol' || typeof v === 'function' ? String(v) : JSON.stringify(v);
  return text === undefined ? 'nothing' : text.length > 40 ? `${text.slice(0, 40)}...` : text;
};

/** The values a choice allows: an enum's or literal's, a tag's options, or those of a union whose every branch is one. */
function allowedValues(issue: Issue): readonly Primitive[] | null {
  if (issue.code === 'invalid_value') return issue.values;
  if (issue.code !== 'invalid_union') return null;
  if ('options' in issue && issue.options) return issue.options;
  const branches = issue.errors.map((b) => (b.length === 1 ? allowedValues(b[0]) : null));
  return branches.length > 0 && branches.every((v) => v !== null) ? branches.flatMap((v) => v!) : null;
}

/** One issue as a line: `path: message` (the path of `root` when the issue is about the whole input). */
export function issueText(issue: Issue, root: string): string {
  const path = issue.path.length ? issue.path.map((k) => (k === '' ? '""' : String(k))).join('.') : root;
  // Keys come from the input: shown quoted, so that none can break the line or pass for another field.
  if (issue.code === 'unrecognized_keys') return `${path}: unrecognized ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map(shown).join(', ')}`;
  // A record's key refused by its own rule says that rule (sweep grid paths: "a dotted path of field names").
  if (issue.code === 'invalid_key' && issue.issues[0]) return `${path}: ${issue.issues[0].message}`;
  const values = allowedValues(issue);
  if (!values) return `${path}: ${issue.message}`;
  // A discriminated union reports the whole object; the value refused is its tag.
  const tag = issue.code === 'invalid_union' ? issue.discriminator : undefined;
  const input: unknown = tag !== undefined && issue.input !== null && typeof issue.input === 'object' ? (issue.input as Record<string, unknown>)[tag] : issue.input;
  const received = input !== undefined ? `, not ${shown(input)}` : '';
  return `${path}: must be one of ${values.map(shown).join(', ')}${received}`;
}

/** The lines of a failed parse; parse with `{ reportInput: true }` so that each names the value it refused. */
export function issueLines(error: z.ZodError, root: string): string[] {
  return error.issues.map((i) => issueText(i, root));
}
