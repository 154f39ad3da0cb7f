/**
 * The form's rows for paper 000's strategies (§3-4): implied delta (eq. 26) and the RL agents (BC-RPPO of
 * Algorithms 1-2 and the baselines of eq. 41-45), every hyperparameter of their schema on the form.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { RL_ALGORITHMS, type Experiment, type RlStrategy, type Strategy } from '../../src/engine/experiment/schema';
import { checkDraft, draftFromExperiment, type Draft } from '../../src/ui/form-draft';

const rowOf = (draft: Draft, id: string) => draft.strategies.findIndex((r) => r.id === id);

/** Every number and switch of a strategy, by dotted path: an independent walk of the object. */
function leaves(o: object, prefix = ''): Map<string, number | boolean> {
  const out = new Map<string, number | boolean>();
  for (const [k, v] of Object.entries(o) as [string, unknown][]) {
    if (typeof v === 'number' || typeof v === 'boolean') out.set(`${prefix}${k}`, v);
    else if (typeof v === 'object' && v !== null) for (const [p, x] of leaves(v, `${prefix}${k}.`)) out.set(p, x);
  }
  return out;
}

/** Each agent with every setting moved off its default (numbers nudged within bounds, switches flipped). */
function movedAgents(): RlStrategy[] {
  return RL_ALGORITHMS.map((type) => {
    const s = structuredClone(RL_DEFAULTS[type](`my-${type}`)) as RlStrategy;
    const set = (o: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'boolean') o[k] = !v;
        else if (typeof v === 'number') o[k] = Number.isInteger(v) && v >= 2 ? v - 1 : v > 0 && v < 1 ? v / 2 : v;
        else if (typeof v === 'object' && v !== null) set(v as Record<string, unknown>);
      }
    };
    set(s as unknown as Record<string, unknown>);
    s.rl.bounds = { min: -0.5, max: 1.5 };
    s.rl.gamma = 0.95;
    return s;
  });
}

/** Paper 000's setting: one strike, implied delta and the agents side by side. */
function rlExperiment(agents: Strategy[]): Experiment {
  const cfg = defaultConfig();
  cfg.strategies = [{ id: 'implied-delta', type: 'implied-delta' }, ...agents];
  return cfg;
}

describe('form draft of paper 000 strategies', () => {
  it('round-trips implied delta and every RL agent with every setting off its default', () => {
    const agents = movedAgents();
    // Two experiments cover implied delta and the six agents.
    for (const chunk of [agents.slice(0, 3), agents.slice(3)]) {
      const cfg = rlExperiment(chunk);
      const check = checkDraft(draftFromExperiment(cfg));
      expect(check.fieldErrors).toEqual({});
      expect(check.otherErrors).toEqual([]);
      expect(check.config).toEqual(cfg);
    }
  });

  it('offers an unticked row per agent that, ticked, is the agent at its starting settings (rl-defaults.ts)', () => {
    const draft = draftFromExperiment(defaultConfig());
    const base = defaultConfig().strategies;
    for (const type of ['implied-delta', ...RL_ALGORITHMS] as const) {
      const i = rowOf(draft, type);
      expect(draft.strategies[i], type).toMatchObject({ enabled: false, type });
      draft.strategies[i]!.enabled = true;
      const config = checkDraft(draft).config!;
      expect(config.strategies.slice(0, base.length)).toEqual(base);
      expect(config.strategies.at(-1), type).toEqual(type === 'implied-delta' ? { id: type, type } : RL_DEFAULTS[type]());
      draft.strategies[i]!.enabled = false;
    }
  });

  it('names the field of every setting typed wrong, each agent on its own', () => {
    for (const type of RL_ALGORITHMS) {
      const draft = draftFromExperiment(rlExperiment([RL_DEFAULTS[type]()]));
      const i = rowOf(draft, type);
      const numbers = draft.strategies[i]!.agent.numbers as Record<string, string>;
      expect(Object.keys(numbers).sort()).toEqual([...leaves(RL_DEFAULTS[type]())].filter(([, v]) => typeof v === 'number').map(([p]) => p).sort());
      for (const path of Object.keys(numbers)) {
        const typed = numbers[path]!;
        numbers[path] = 'oops';
        expect(checkDraft(draft).fieldErrors, `${type} ${path}`).toEqual({ [`strategies.${i}.${path}`]: ['enter a number'] });
        numbers[path] = typed;
      }
      expect(checkDraft(draft).config).not.toBeNull();
    }
  });

  it("words the schema's bounds beside the field they break", () => {
    const draft = draftFromExperiment(rlExperiment([RL_DEFAULTS['bc-rppo'](), RL_DEFAULTS.sac(), RL_DEFAULTS.td3()]));
    const b = rowOf(draft, 'bc-rppo');
    const s = rowOf(draft, 'sac');
    const t = rowOf(draft, 'td3');
    Object.assign(draft.strategies[b]!.agent.numbers, { 'rl.bounds.min': '1', 'rl.bounds.max': '0.5', 'rppo.frames': '33', 'network.layers': '1.5', 'bc.entropy': '-1' });
    Object.assign(draft.strategies[s]!.agent.numbers, { 'sac.temperature': '0', 'rl.gamma': '1.2', 'rl.episodes': '4' });
    Object.assign(draft.strategies[t]!.agent.numbers, { 'td3.policyDelay': '11' });
    const check = checkDraft(draft);
    expect(check.config).toBeNull();
    expect(check.otherErrors).toEqual([]);
    expect(check.fieldErrors).toEqual({
      [`strategies.${b}.rl.bounds.max`]: ['min must be below max'],
      [`strategies.${b}.rppo.frames`]: ['must be at most 32'],
      [`strategies.${b}.network.layers`]: ['must be a whole number'],
      [`strategies.${b}.bc.entropy`]: ['must be at least 0'],
      [`strategies.${s}.sac.temperature`]: ['must be at least 0.0001'],
      [`strategies.${s}.rl.gamma`]: ['must be at most 1'],
      [`strategies.${s}.rl.episodes`]: ['must be at least 8'],
      [`strategies.${t}.td3.policyDelay`]: ['must be at most 10'],
    });
  });

  it('keeps the ablation switches of BC-RPPO (§4.6): without behaviour cloning, without the GRU', () => {
    const draft = draftFromExperiment(rlExperiment([RL_DEFAULTS['bc-rppo']()]));
    const row = draft.strategies[rowOf(draft, 'bc-rppo')]!;
    row.agent.flags['bc.enabled'] = false;
    row.agent.flags['rppo.gru'] = false;
    const agent = checkDraft(draft).config!.strategies[1] as Extract<Strategy, { type: 'bc-rppo' }>;
    expect(agent.bc.enabled).toBe(false);
    expect(agent.rppo.gru).toBe(false);
    expect(agent.bc.epochs).toBe(RL_DEFAULTS['bc-rppo']().bc.epochs);
  });

  it("keeps a European claim's several strikes (§4.2) and names a bad one", () => {
    const cfg = rlExperiment([RL_DEFAULTS.ppo()]);
    cfg.claim = { type: 'european', kind: 'call', strike: 1, strikes: [0.96, 1, 1.04] };
    const draft = draftFromExperiment(cfg);
    expect(checkDraft(draft).config).toEqual(cfg);
    draft.claim.strikes = '0.96, x';
    expect(checkDraft(draft).fieldErrors).toEqual({ 'claim.strikes': ['enter a number'] });
    draft.claim.strikes = '0.96, -1';
    expect(checkDraft(draft).fieldErrors).toEqual({ 'claim.strikes': ['must be greater than 0'] });
    draft.claim.strikes = ' ';
    expect((checkDraft(draft).config!.claim as { strikes?: number[] }).strikes).toBeUndefined();
  });
});
