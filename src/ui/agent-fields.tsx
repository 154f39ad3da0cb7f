/**
 * The settings of one RL agent of paper 000 on the strategies panel, grouped. In sight: the training budget
 * (Algorithm 2's n_epoch and n_path, the learning rate, how often avg_r is scored) and BC-RPPO's ablation
 * switches of §4.6 ("behaviour cloning", "GRU"); under a fold, so that eight agents keep the panel short:
 * the rest of the environment (§3.1-3.2), the network, behaviour cloning (Algorithm 1, eq. 27-29),
 * recurrent PPO (Algorithm 2, eq. 33-38) or the baseline's own settings (eq. 41-45). Each field has a label
 * with the paper's symbol and a hint naming its equation or Stable-Baselines3's default.
 */
import { Fragment, useId } from 'react';
import type { RlAlgorithm } from '../engine/experiment/schema';
import { NumberField } from './form-fields';
import type { AgentFlagField, AgentNumberField, StrategyDraft } from './form-draft';
import { useLab } from './lab-store';

interface FieldLabel {
  label: string;
  hint: string;
  integer?: boolean;
}

/** Replay-buffer settings DDPG, TD3 and SAC share (Stable-Baselines3's off-policy defaults). */
const OFF_POLICY = {
  buffer: { label: 'Replay buffer', hint: 'Transitions kept for sampling (SB3 buffer_size 1,000,000; 100,000 here for a tab)', integer: true },
  batchSize: { label: 'Batch', hint: 'Transitions per gradient step (SB3 batch_size 256)', integer: true },
  tau: { label: 'Polyak τ', hint: 'Target networks move this far towards the trained ones each step (SB3 tau 0.005)' },
  learningStarts: { label: 'Learning starts', hint: 'Transitions collected before the first gradient step (SB3 learning_starts 100)', integer: true },
  gradientSteps: { label: 'Gradient steps', hint: 'Per environment step of all episodes (SB3 train_freq 1, gradient_steps 1)', integer: true },
} satisfies Record<string, FieldLabel>;

const ACTION_NOISE: FieldLabel = { label: 'Exploration noise σ', hint: 'Std of the Gaussian noise added to the action while collecting (SB3: none; 0.1 in its examples)' };
const GRADIENT_CLIP: FieldLabel = { label: 'Gradient clip norm', hint: 'Gradients longer than this are scaled down to it; 0: no clipping (SB3 max_grad_norm 0.5)' };
const VALUE_WEIGHT: FieldLabel = { label: 'Value-loss weight', hint: 'Weight of the critic loss of eq. 37 (SB3 vf_coef 0.5)' };

/** `section.field` for each field of a shared group. */
function under<P extends string, T extends Record<string, FieldLabel>>(section: P, fields: T): { [K in keyof T & string as `${P}.${K}`]: FieldLabel } {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${section}.${k}`, v])) as { [K in keyof T & string as `${P}.${K}`]: FieldLabel };
}

/** Every number of every agent's schema, in the order the form shows them. */
const NUMBERS = {
  'rl.updates': { label: 'Updates n_epoch', hint: 'Rounds of rollout then learning (Algorithm 2, line 1)', integer: true },
  'rl.episodes': { label: 'Episodes n_path', hint: 'Market paths hedged at once in each rollout (Algorithm 2, line 2)', integer: true },
  'rl.learningRate': { label: 'Learning rate η', hint: 'Step size of the RL updates (Algorithm 2, line 8); SB3: 3e-4 PPO and SAC, 7e-4 A2C, 1e-3 DDPG and TD3' },
  'rl.gamma': { label: 'Discount γ', hint: 'Discount per step in the TD errors and returns (eq. 30-33); SB3 gamma 0.99' },
  'rl.bounds.min': { label: 'Lowest position', hint: 'Fewest units of the underlying held per option (paper 000 §4.2: 0, long only)' },
  'rl.bounds.max': { label: 'Highest position', hint: 'Most units of the underlying held per option (§4.2: 1)' },
  'rl.evaluateEvery': { label: 'Score avg_r every', hint: 'Updates between scorings of avg_r (eq. 40) on held-out validation paths: the points of the live curve', integer: true },
  'network.layers': { label: 'Hidden layers', hint: 'Of the actor and the critic MLPs (SB3: 2 for PPO and A2C)', integer: true },
  'network.units': { label: 'Units per layer', hint: 'SB3: 64 for PPO and A2C, 400 and 300 for DDPG and TD3, 256 for SAC', integer: true },
  'bc.epochs': { label: 'BC epochs n_epoch', hint: 'Passes over the expert’s state-action pairs (Algorithm 1, line 1)', integer: true },
  'bc.batchSize': { label: 'BC batch N_batch', hint: 'Expert state-action pairs per step (Algorithm 1, line 2)', integer: true },
  'bc.learningRate': { label: 'BC learning rate η', hint: 'Step size of the pretraining update (eq. 29)' },
  'bc.entropy': { label: 'BC λ_entropy', hint: 'Weight of the entropy loss (eq. 28) in the pretraining loss (eq. 29)' },
  'rppo.actorUpdates': { label: 'Actor updates n_actor_update', hint: 'Clipped-ratio steps per rollout (Algorithm 2, line 4)', integer: true },
  'rppo.criticUpdates': { label: 'Critic updates n_critic_update', hint: 'Value-loss steps per rollout (Algorithm 2, line 9; eq. 37-38)', integer: true },
  'rppo.minibatch': { label: 'Minibatch', hint: 'Transitions per gradient step (SB3 batch_size 64)', integer: true },
  'rppo.clip': { label: 'Clip ε', hint: 'Ratio clip of Algorithm 2, line 6 (SB3 clip_range 0.2)' },
  'rppo.lambda': { label: 'GAE λ', hint: 'Generalised advantage estimation, eq. 33 (SB3 gae_lambda 0.95)' },
  'rppo.entropy': { label: 'λ_entropy', hint: 'Weight of the entropy loss (eq. 28) in Algorithm 2, line 8' },
  'rppo.maxGradNorm': GRADIENT_CLIP,
  'rppo.frames': { label: 'Stacked frames k', hint: 'The last k states form the agent’s input (frame stacking, §3.3.2)', integer: true },
  'rppo.gruUnits': { label: 'GRU units', hint: 'Width of the GRU’s state over the stacked states (§3.3.2)', integer: true },
  'ppo.epochs': { label: 'Epochs per rollout', hint: 'Passes of the clipped objective over each rollout (SB3 n_epochs 10)', integer: true },
  'ppo.minibatch': { label: 'Minibatch', hint: 'Transitions per gradient step (SB3 batch_size 64)', integer: true },
  'ppo.clip': { label: 'Clip ε', hint: 'Ratio clip of eq. 42 (SB3 clip_range 0.2)' },
  'ppo.lambda': { label: 'GAE λ', hint: 'Generalised advantage estimation, eq. 33 (SB3 gae_lambda 0.95)' },
  'ppo.entropy': { label: 'Entropy bonus', hint: 'Weight of the policy’s entropy in the loss (SB3 ent_coef 0)' },
  'ppo.valueCoef': VALUE_WEIGHT,
  'ppo.maxGradNorm': GRADIENT_CLIP,
  'a2c.lambda': { label: 'GAE λ', hint: 'Advantages Φ_t of eq. 41 by eq. 33 (SB3 gae_lambda 1: plain n-step returns)' },
  'a2c.entropy': { label: 'Entropy bonus', hint: 'Weight of the policy’s entropy in the loss (SB3 ent_coef 0)' },
  'a2c.valueCoef': VALUE_WEIGHT,
  'a2c.maxGradNorm': GRADIENT_CLIP,
  ...under('ddpg', { ...OFF_POLICY, actionNoise: ACTION_NOISE }),
  ...under('td3', {
    ...OFF_POLICY,
    actionNoise: ACTION_NOISE,
    policyDelay: { label: 'Policy delay', hint: 'Critic updates per policy and target update (SB3 policy_delay 2)', integer: true },
    targetNoise: { label: 'Target noise', hint: 'Std of the target policy smoothing noise (SB3 target_policy_noise 0.2)' },
    noiseClip: { label: 'Target noise clip', hint: 'The smoothing noise is clipped to ± this (SB3 target_noise_clip 0.5)' },
  }),
  ...under('sac', {
    ...OFF_POLICY,
    temperature: { label: 'Temperature α', hint: 'Weight of the entropy in eq. 45, at the start when tuned (SB3 ent_coef "auto", from 1)' },
    targetEntropy: { label: 'Target entropy', hint: 'α is tuned towards this entropy (SB3: −dim A = −1)' },
  }),
} satisfies Record<AgentNumberField, FieldLabel>;

const FLAGS: Record<AgentFlagField, FieldLabel> = {
  'rl.marketFeatures': { label: 'Market features in the state', hint: 'Add the market’s own features (volatility, regime, further assets) to the state of eq. 20' },
  'bc.enabled': { label: 'Behaviour cloning', hint: 'Pretrain on the implied-delta expert first (Algorithm 1); off: the "without BC" ablation of §4.6' },
  'rppo.gru': { label: 'GRU', hint: 'A GRU over the stacked states (§3.3.2); off: the "without RNN" ablation of §4.6, an MLP on the stacked frames' },
  'sac.autoTemperature': { label: 'Tune α automatically', hint: 'Move α towards the target entropy (SB3 ent_coef "auto")' },
};

/** A group of the fold: its heading, its name in the fold's summary, and the schema section it shows. */
interface Group {
  heading: string;
  short: string;
  section: string;
}

/** The fold's groups of each agent after the environment's and the network's. */
const FOLDED: Record<RlAlgorithm, Group[]> = {
  'bc-rppo': [
    { heading: 'Behaviour cloning (Algorithm 1)', short: 'behaviour cloning', section: 'bc' },
    { heading: 'Recurrent PPO (Algorithm 2)', short: 'recurrent PPO', section: 'rppo' },
  ],
  a2c: [{ heading: 'A2C (eq. 41)', short: 'A2C', section: 'a2c' }],
  ppo: [{ heading: 'PPO (eq. 42)', short: 'PPO', section: 'ppo' }],
  ddpg: [{ heading: 'DDPG (eq. 43-44)', short: 'DDPG', section: 'ddpg' }],
  td3: [{ heading: 'TD3', short: 'TD3', section: 'td3' }],
  sac: [{ heading: 'SAC (eq. 45)', short: 'SAC', section: 'sac' }],
};

const SHARED_GROUPS: Group[] = [
  { heading: 'Environment (§3.1-3.2)', short: 'environment', section: 'rl' },
  { heading: 'Network', short: 'network', section: 'network' },
];

/** The settings in sight above the fold: the training budget. */
const IN_SIGHT: readonly AgentNumberField[] = ['rl.updates', 'rl.episodes', 'rl.learningRate', 'rl.evaluateEvery'];

/** The ablation switches shown above the fold. */
const ABLATIONS: readonly AgentFlagField[] = ['bc.enabled', 'rppo.gru'];

/** "environment, network, behaviour cloning and recurrent PPO". */
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

const inSection = (path: string, section: string) => path.startsWith(`${section}.`);

/** A switch among the settings (the row's own tick box is the bold one); `inline`: one grid column, not the row. */
function FlagField(props: { name: string; field: AgentFlagField; checked: boolean; onChange: (v: boolean) => void; inline?: boolean }) {
  const { name, field, checked, onChange } = props;
  return (
    <label className="checkbox" title={FLAGS[field].hint} style={props.inline ? { gridColumn: 'auto' } : undefined}>
      <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span style={{ fontWeight: 400 }}>{FLAGS[field].label}</span>
    </label>
  );
}

function GroupHeading({ children }: { children: string }) {
  return (
    <span className="field-label" style={{ gridColumn: '1 / -1', fontWeight: 600, marginTop: 4 }}>
      {children}
    </span>
  );
}

export function AgentFields({ row, index }: { row: StrategyDraft; index: number }) {
  const edit = useLab((s) => s.edit);
  const key = `strategies.${index}`;
  const type = row.type as RlAlgorithm;
  const { numbers, flags } = row.agent;
  const folded = [...SHARED_GROUPS, ...FOLDED[type]];
  const foldId = useId();
  const isFolded = (path: string) => !(IN_SIGHT as readonly string[]).includes(path) && folded.some((g) => inSection(path, g.section));
  // A message on a folded field is announced on the fold's summary, so that a closed fold hides no error.
  const foldedError = useLab((s) => Object.keys(s.check.fieldErrors).some((k) => k.startsWith(`${key}.`) && isFolded(k.slice(key.length + 1))));
  const setNumber = (field: AgentNumberField, value: string) => edit((d) => void (d.strategies[index]!.agent.numbers[field] = value));
  const setFlag = (field: AgentFlagField, value: boolean) => edit((d) => void (d.strategies[index]!.agent.flags[field] = value));

  const numberFields = (fields: AgentNumberField[]) =>
    fields
      .filter((f) => numbers[f] !== undefined)
      .map((f) => <NumberField key={f} name={`${key}.${f}`} {...NUMBERS[f]} value={numbers[f]!} onChange={(v) => setNumber(f, v)} />);
  const flagFields = (section: string, except: readonly AgentFlagField[] = []) =>
    (Object.keys(FLAGS) as AgentFlagField[])
      .filter((f) => inSection(f, section) && flags[f] !== undefined && !except.includes(f))
      .map((f) => <FlagField key={f} name={`${key}.${f}`} field={f} checked={flags[f]!} onChange={(v) => setFlag(f, v)} />);
  const ablations = ABLATIONS.filter((f) => flags[f] !== undefined);

  const foldedNumbers = (section: string) => (Object.keys(NUMBERS) as AgentNumberField[]).filter((f) => inSection(f, section) && isFolded(f));

  return (
    <div className="strategy-params">
      {numberFields([...IN_SIGHT])}
      {ablations.map((f) => (
        <FlagField key={f} name={`${key}.${f}`} field={f} checked={flags[f]!} onChange={(v) => setFlag(f, v)} inline />
      ))}
      <details style={{ gridColumn: '1 / -1' }} data-testid={`${row.id}-settings`}>
        <summary className="field-label" id={foldId}>
          More: {listed(folded.map((g) => g.short))}
          {foldedError && (
            <span className="field-error" data-testid={`${row.id}-settings-error`}>
              {' '}
              (a setting here needs fixing)
            </span>
          )}
        </summary>
        <div className="strategy-params" style={{ marginLeft: 0 }} aria-labelledby={foldId} role="group">
          {folded.map((g) => (
            <Fragment key={g.section}>
              <GroupHeading>{g.heading}</GroupHeading>
              {numberFields(foldedNumbers(g.section))}
              {flagFields(g.section, ABLATIONS)}
            </Fragment>
          ))}
        </div>
      </details>
    </div>
  );
}

