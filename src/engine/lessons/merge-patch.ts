/**
 * JSON Merge Patch (RFC 7386): how a lesson step changes the experiment on the form. An object in the patch
 * merges into the target's object field by field, `null` removes a field, and anything else (a number, a
 * string, an array such as the strategies) replaces it. The target is never changed; the result is new.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields a patch may never name: they would reach an object's prototype. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** RFC 7386 section 2's MergePatch(target, patch); throws on a field that names a prototype. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN.has(key)) throw new RangeError(`${key}: not a field of an experiment`);
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
