/**
 * The CLI's `signature` request: the truncated signature (levels 1..m, no leading 1) and the log-signature
 * in the Lyndon words basis of the piecewise-linear path through the given points (src/engine/signatures;
 * paper 003 §4.2, appendix 8.2), with signatory's optional basepoint and a time channel t_i = i / (points - 1)
 * as channel 0 (tensor-algebra.ts says the conventions). Validated with zod so a bad request names its
 * field, and bounded so that one request stays a few seconds of work: points <= 10,000, d <= 8,
 * depth <= 8 and (d, plus one with time)^depth <= 100,000 entries in the top level.
 */
import { z } from 'zod';
import { wordsLogSignature } from '../engine/signatures/lyndon';
import { flattenLevels, signatureTensor } from '../engine/signatures/tensor-algebra';

const MAX_POINTS = 10_000;
const MAX_CHANNELS = 8;
const MAX_DEPTH = 8;
const MAX_TOP_LEVEL = 100_000;

const point = z
  .array(z.number().finite())
  .min(1, 'a point needs at least one coordinate')
  .max(MAX_CHANNELS, `a point has at most ${MAX_CHANNELS} coordinates (d <= ${MAX_CHANNELS})`);

const requestSchema = z
  .strictObject({
    path: z.array(point).min(1, 'needs at least one point').max(MAX_POINTS, `has at most ${MAX_POINTS} points`),
    depth: z.number().int().min(1).max(MAX_DEPTH),
    basepoint: z.boolean().optional(),
    time: z.boolean().optional(),
  })
  .superRefine((q, ctx) => {
    // zod runs this after a failed length check too; an empty path has been named already.
    if (q.path.length === 0) return;
    const d = q.path[0].length;
    const ragged = q.path.findIndex((p) => p.length !== d);
    if (ragged >= 0) {
      ctx.addIssue({ code: 'custom', path: ['path', ragged], message: `has ${q.path[ragged].length} coordinates, point 0 has ${d}; every point needs the same number` });
      return;
    }
    const channels = d + (q.time ? 1 : 0);
    if (channels ** q.depth > MAX_TOP_LEVEL) {
      const with_ = q.time ? ` (${d} coordinates and the time channel)` : '';
      ctx.addIssue({ code: 'custom', path: ['depth'], message: `${channels}^${q.depth} = ${channels ** q.depth} entries in the top level${with_}; at most ${MAX_TOP_LEVEL}: lower the depth` });
    }
  });

export type SignatureAnswer = { ok: true; value: { signature: number[]; logsignature: number[] } } | { ok: false; error: string };

export function signatureRequest(input: unknown): SignatureAnswer {
  const r = requestSchema.safeParse(input);
  if (!r.success) {
    return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') };
  }
  const { path, depth, basepoint, time } = r.data;
  const s = signatureTensor(path, depth, { basepoint, time });
  const value = { signature: Array.from(flattenLevels(s)), logsignature: Array.from(wordsLogSignature(s)) };
  if (![...value.signature, ...value.logsignature].every(Number.isFinite)) {
    return { ok: false, error: `path: the signature to depth ${depth} overflows float64; scale the path down or lower the depth` };
  }
  return { ok: true, value };
}
