/**
 * The experiment form's draft: exactly what the person typed (numbers stay text, so "1e-" or "" survive
 * a keystroke), and its translation into an Experiment checked by `parseExperiment` (DESIGN.md,
 * "Experiment config"). Errors come back keyed by the field they name, so the form shows each one beside
 * its input; an invalid draft is kept as typed and only the Run button waits.
 */
import { defaultConfig } from '../engine/experiment/presets';
import {
  parseExperiment,
  SCHEMA_VERSION,
  STRATEGY_TYPES,
  type Experiment,
  type Risk,
  type Strategy,
  type StrategyType,
} from '../engine/experiment/schema';

/** One row of the strategies panel; every row keeps all parameters so unticking loses nothing. */
export interface StrategyDraft {
  enabled: boolean;
  id: string;
  type: StrategyType;
  riskAversion: string;
  layers: string;
  units: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  freshPaths: boolean;
}

export interface Draft {
  name: string;
  seed: string;
  market: { s0: string; drift: string; volatility: string; maturityDays: string; steps: string; daysPerYear: string };
  claim: { kind: Experiment['claim']['kind']; strike: string };
  costs: { proportional: string; closeAtMaturity: boolean };
  premium: Experiment['premium'];
  /** lambda serves the entropic and mean-variance measures, alpha expected shortfall. */
  risk: { measure: Risk['measure']; lambda: string; alpha: string };
  paths: { train: string; test: string };
  strategies: StrategyDraft[];
}

/** Field key (schema path, with the strategy's row index) -> the messages to show beside that field. */
export type FieldErrors = Record<string, string[]>;

export interface DraftCheck {
  /** The validated experiment, or null while any field is wrong. */
  config: Experiment | null;
  fieldErrors: FieldErrors;
  /** Errors that name no field of the form. */
  otherErrors: string[];
}

const text = (n: number) => String(n);

/** A row's parameters before any experiment sets them: those of the page's default experiment. */
function defaultRow(): Omit<StrategyDraft, 'enabled' | 'id' | 'type'> {
  const strategies = defaultConfig().strategies;
  const ww = strategies.find((s) => s.type === 'whalley-wilmott');
  const deep = strategies.find((s) => s.type === 'deep-mlp');
  return {
    riskAversion: text(ww?.riskAversion ?? 1),
    layers: text(deep?.network.layers ?? 3),
    units: text(deep?.network.units ?? 32),
    epochs: text(deep?.training.epochs ?? 60),
    batchSize: text(deep?.training.batchSize ?? 1024),
    learningRate: text(deep?.training.learningRate ?? 0.003),
    freshPaths: deep?.training.freshPaths ?? true,
  };
}

function strategyRow(s: Strategy): StrategyDraft {
  const row: StrategyDraft = { enabled: true, id: s.id, type: s.type, ...defaultRow() };
  if (s.type === 'whalley-wilmott') row.riskAversion = text(s.riskAversion);
  if (s.type === 'deep-mlp') {
    row.layers = text(s.network.layers);
    row.units = text(s.network.units);
    row.epochs = text(s.training.epochs);
    row.batchSize = text(s.training.batchSize);
    row.learningRate = text(s.training.learningRate);
    row.freshPaths = s.training.freshPaths;
  }
  return row;
}

/** The form showing `cfg`: its strategies ticked in order, then one unticked row per missing type. */
export function draftFromExperiment(cfg: Experiment): Draft {
  const rows = cfg.strategies.map(strategyRow);
  for (const type of STRATEGY_TYPES) {
    if (rows.some((r) => r.type === type)) continue;
    rows.push({ enabled: false, id: rows.some((r) => r.id === type) ? `${type}-2` : type, type, ...defaultRow() });
  }
  const risk = cfg.risk;
  return {
    name: cfg.name,
    seed: text(cfg.seed),
    market: {
      s0: text(cfg.market.s0),
      drift: text(cfg.market.drift),
      volatility: text(cfg.market.volatility),
      maturityDays: text(cfg.market.maturityDays),
      steps: text(cfg.market.steps),
      daysPerYear: text(cfg.market.daysPerYear),
    },
    claim: { kind: cfg.claim.kind, strike: text(cfg.claim.strike) },
    costs: { proportional: text(cfg.costs.proportional), closeAtMaturity: cfg.costs.closeAtMaturity },
    premium: cfg.premium,
    risk: {
      measure: risk.measure,
      lambda: 'lambda' in risk ? text(risk.lambda) : '1',
      alpha: risk.measure === 'expected-shortfall' ? text(risk.alpha) : '0.95',
    },
    paths: { train: text(cfg.paths.train), test: text(cfg.paths.test) },
    strategies: rows,
  };
}

/** Plain-language versions of zod's bound messages. */
function humanize(message: string): string {
  return message
    .replace(/^Too small: expected number to be >=(.+)$/, 'must be at least $1')
    .replace(/^Too small: expected number to be >(.+)$/, 'must be greater than $1')
    .replace(/^Too big: expected number to be <=(.+)$/, 'must be at most $1')
    .replace(/^Too big: expected number to be <(.+)$/, 'must be less than $1')
    .replace(/^Invalid input: expected int, received number$/, 'must be a whole number')
    .replace(/^Too small: expected array to have >=1 items$/, 'tick at least one strategy')
    .replace(/^Too big: expected array to have <=(\d+) items$/, 'at most $1 strategies');
}

/** Translates the draft into an Experiment and validates it; every error is keyed by its form field. */
export function checkDraft(d: Draft): DraftCheck {
  const notNumbers = new Set<string>();
  const num = (key: string, value: string) => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) notNumbers.add(key);
    return n;
  };
  const enabled = d.strategies.map((row, index) => ({ row, index })).filter(({ row }) => row.enabled);
  const strategies = enabled.map(({ row, index }): Strategy => {
    const key = `strategies.${index}`;
    switch (row.type) {
      case 'no-hedge':
      case 'bs-delta':
        return { id: row.id, type: row.type };
      case 'whalley-wilmott':
        return { id: row.id, type: row.type, riskAversion: num(`${key}.riskAversion`, row.riskAversion) };
      case 'deep-mlp':
        return {
          id: row.id,
          type: row.type,
          network: { layers: num(`${key}.network.layers`, row.layers), units: num(`${key}.network.units`, row.units) },
          training: {
            epochs: num(`${key}.training.epochs`, row.epochs),
            batchSize: num(`${key}.training.batchSize`, row.batchSize),
            learningRate: num(`${key}.training.learningRate`, row.learningRate),
            freshPaths: row.freshPaths,
          },
        };
    }
  });
  const measure = d.risk.measure;
  const risk =
    measure === 'expected-shortfall'
      ? { measure, alpha: num('risk.alpha', d.risk.alpha) }
      : measure === 'quadratic'
        ? { measure }
        : { measure, lambda: num('risk.lambda', d.risk.lambda) };
  const candidate = {
    version: SCHEMA_VERSION,
    name: d.name,
    seed: num('seed', d.seed),
    market: {
      model: 'gbm',
      s0: num('market.s0', d.market.s0),
      drift: num('market.drift', d.market.drift),
      volatility: num('market.volatility', d.market.volatility),
      maturityDays: num('market.maturityDays', d.market.maturityDays),
      steps: num('market.steps', d.market.steps),
      daysPerYear: num('market.daysPerYear', d.market.daysPerYear),
    },
    claim: { type: 'european', kind: d.claim.kind, strike: num('claim.strike', d.claim.strike) },
    costs: { proportional: num('costs.proportional', d.costs.proportional), closeAtMaturity: d.costs.closeAtMaturity },
    premium: d.premium,
    risk,
    paths: { train: num('paths.train', d.paths.train), test: num('paths.test', d.paths.test) },
    strategies,
  };

  const result = parseExperiment(candidate);
  const fieldErrors: FieldErrors = {};
  const otherErrors: string[] = [];
  for (const key of notNumbers) fieldErrors[key] = ['enter a number'];
  if (result.ok) return { config: notNumbers.size ? null : result.value, fieldErrors, otherErrors };
  for (const error of result.errors) {
    const split = error.indexOf(': ');
    const path = error.slice(0, split).split('.');
    const message = humanize(error.slice(split + 2));
    if (path[0] === 'strategies' && path.length > 1) path[1] = String(enabled[Number(path[1])]?.index ?? path[1]);
    const key = path.join('.');
    if (notNumbers.has(key)) continue;
    if (key === '(experiment)' || key === 'version') otherErrors.push(message);
    else (fieldErrors[key] ??= []).push(message);
  }
  return { config: null, fieldErrors, otherErrors };
}
