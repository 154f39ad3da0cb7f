/**
 * The experiment: the single source of truth for what a HedgeLab run is (DESIGN.md, "Experiment config").
 * UI forms, share links, the CLI and tests all parse through `parseExperiment`. Every number is bounded so
 * that a link cannot ask a tab for more than it can hold.
 *
 * Market: geometric Brownian motion dS = mu S dt + sigma S dW (paper 001 §5.1); a year has `daysPerYear`
 * trading days and the maturity of `maturityDays` days is cut into `steps` rebalancing intervals.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
const positive = (max: number) => z.number().finite().positive().max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const marketSchema = z.strictObject({
  model: z.literal('gbm'),
  s0: positive(1e6),
  drift: finite(-2, 2),
  volatility: finite(0.001, 3),
  maturityDays: int(1, 3650),
  steps: int(1, 500),
  daysPerYear: z.union([z.literal(250), z.literal(252), z.literal(365)]),
});

export const claimSchema = z.strictObject({
  type: z.literal('european'),
  kind: z.enum(['call', 'put']),
  strike: positive(1e6),
});

export const costsSchema = z.strictObject({
  /** c in c * S_t * |delta_t - delta_{t-1}| (paper 000 eq. 17, paper 001 eq. 8). */
  proportional: finite(0, 0.2),
  /** Charge unwinding the position at maturity. */
  closeAtMaturity: z.boolean(),
});

export const riskSchema = z.discriminatedUnion('measure', [
  z.strictObject({ measure: z.literal('entropic'), lambda: finite(1e-3, 1e3) }),
  z.strictObject({ measure: z.literal('expected-shortfall'), alpha: finite(0.5, 0.999) }),
  z.strictObject({ measure: z.literal('quadratic') }),
  z.strictObject({ measure: z.literal('mean-variance'), lambda: finite(1e-3, 1e4) }),
]);

const strategyId = z
  .string()
  .min(1)
  .max(24)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

export const networkSchema = z.strictObject({
  layers: int(1, 8),
  units: int(2, 256),
});

export const trainingSchema = z.strictObject({
  epochs: int(1, 5000),
  batchSize: int(8, 200_000),
  learningRate: finite(1e-6, 1),
  /** Draw fresh training paths every epoch (pfhedge's `Hedger.fit`, paper 001 §5.1) or reuse one set. */
  freshPaths: z.boolean(),
});

export const strategySchema = z.discriminatedUnion('type', [
  z.strictObject({ id: strategyId, type: z.literal('no-hedge') }),
  z.strictObject({ id: strategyId, type: z.literal('bs-delta') }),
  z.strictObject({
    id: strategyId,
    type: z.literal('whalley-wilmott'),
    /** Risk aversion a in the band half-width (3 c S Gamma^2 / (2 a))^(1/3). */
    riskAversion: finite(1e-3, 1e3),
  }),
  z.strictObject({
    id: strategyId,
    type: z.literal('deep-mlp'),
    network: networkSchema,
    training: trainingSchema,
  }),
]);

export const experimentSchema = z
  .strictObject({
    version: z.literal(SCHEMA_VERSION),
    name: z.string().max(80),
    seed: int(0, 2 ** 31 - 1),
    market: marketSchema,
    claim: claimSchema,
    costs: costsSchema,
    /** Premium the hedger receives for the short claim at t = 0. */
    premium: z.enum(['zero', 'black-scholes']),
    risk: riskSchema,
    paths: z.strictObject({ train: int(16, 200_000), test: int(16, 200_000) }),
    strategies: z.array(strategySchema).min(1).max(8),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.strategies.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'id'], message: `duplicate id "${s.id}"` });
      seen.add(s.id);
      if (s.type === 'deep-mlp' && s.training.batchSize > cfg.paths.train) {
        ctx.addIssue({
          code: 'custom',
          path: ['strategies', i, 'training', 'batchSize'],
          message: `batch size ${s.training.batchSize} exceeds the ${cfg.paths.train} training paths`,
        });
      }
    });
    const work = cfg.paths.train * cfg.market.steps;
    if (work > 4_000_000) {
      ctx.addIssue({ code: 'custom', path: ['paths', 'train'], message: `train paths x steps = ${work} exceeds 4,000,000` });
    }
    const testWork = cfg.paths.test * cfg.market.steps;
    if (testWork > 4_000_000) {
      ctx.addIssue({ code: 'custom', path: ['paths', 'test'], message: `test paths x steps = ${testWork} exceeds 4,000,000` });
    }
  });

export type Experiment = z.infer<typeof experimentSchema>;
export type Market = Experiment['market'];
export type Claim = Experiment['claim'];
export type Risk = Experiment['risk'];
export type Strategy = Experiment['strategies'][number];
export type StrategyType = Strategy['type'];
export type DeepStrategy = Extract<Strategy, { type: 'deep-mlp' }>;

export const STRATEGY_TYPES: readonly StrategyType[] = ['no-hedge', 'bs-delta', 'whalley-wilmott', 'deep-mlp'];

/** Length of one rebalancing interval in years. */
export function stepYears(m: Market): number {
  return m.maturityDays / m.daysPerYear / m.steps;
}

/** Maturity in years. */
export function maturityYears(m: Market): number {
  return m.maturityDays / m.daysPerYear;
}

export type ParseResult = { ok: true; value: Experiment } | { ok: false; errors: string[] };

/** Validates anything (a form, a decoded link, a JSON file) against the schema; errors name the field. */
export function parseExperiment(input: unknown): ParseResult {
  if (input !== null && typeof input === 'object' && 'version' in input && (input as { version: unknown }).version !== SCHEMA_VERSION) {
    const v = (input as { version: unknown }).version;
    return { ok: false, errors: [`version: this HedgeLab reads experiments of version ${SCHEMA_VERSION}, not ${JSON.stringify(v)}`] };
  }
  const r = experimentSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(experiment)'}: ${i.message}`) };
}
