/**
 * The signature-diffusion market's generator on the form (schema.ts `diffusionSchema`, paper 003 §3.3): in a
 * panel of its own, the segments and the log-signature depth (and what they resolve), the score Transformer,
 * its training by denoising score matching, the sampler and the paths per asset, with a Generate button that
 * trains and samples the generators alone. Each hint gives the schema's bounds.
 */
import { NumberField, SelectField, type SettingLabel } from './form-fields';
import type { DiffusionDraft } from './form-draft';
import { useLab } from './lab-store';
import { Panel } from './panel';
import { FirstPhaseButton } from './first-phase-button';

type SettingField = Exclude<keyof DiffusionDraft, 'residuals' | 'sampler'>;

const FIELDS: Record<SettingField, SettingLabel> = {
  segmentDays: { path: 'segmentDays', label: 'Segment (days)', hint: 'Days of log-returns each log-signature embeds, 2 to 30; paths are stitched from segments', integer: true },
  depth: { path: 'depth', label: 'Log-signature depth m', hint: 'Depth m recovers the segment’s increment and harmonics 1 to m − 2, 2 to 5 (depth 4’s coordinates invert too sensitively for a model’s errors)', integer: true },
  stride: { path: 'stride', label: 'Stride (days)', hint: 'Days between the starts of training segments, 1 to 30', integer: true },
  width: { path: 'network.width', label: 'Width', hint: 'The score Transformer’s width, even, 4 to 64', integer: true },
  heads: { path: 'network.heads', label: 'Attention heads', hint: '1 to 4', integer: true },
  layers: { path: 'network.layers', label: 'Blocks', hint: 'Transformer blocks, each with time-conditioned layer norm, 1 to 4', integer: true },
  mlpUnits: { path: 'network.mlpUnits', label: 'MLP units', hint: 'Hidden units of each block’s per-token MLP, 2 to 256', integer: true },
  epochs: { path: 'training.epochs', label: 'Epochs', hint: 'Passes over the training segments, 1 to 2000', integer: true },
  batchSize: { path: 'training.batchSize', label: 'Batch size', hint: 'Segments per Adam step, 8 to 1024', integer: true },
  learningRate: { path: 'training.learningRate', label: 'Learning rate', hint: 'Adam’s step size, above 0 and at most 0.1', integer: false },
  samplingSteps: { path: 'sampling.steps', label: 'Sampler steps', hint: 'Steps from t = 1 to 0.001, 2 to 1000: fewer are faster and rougher', integer: true },
  paths: { path: 'paths', label: 'Paths per asset', hint: 'Generated paths each generator samples, 64 to 100,000 (paper 003: 20,000); the hedgers train on draws from them', integer: true },
};

const RESIDUALS: readonly { value: DiffusionDraft['residuals']; label: string }[] = [
  { value: 'none', label: 'None: the inverted segments as they are' },
  { value: 'bootstrap', label: 'Add a training segment’s daily residuals' },
];

const SAMPLERS: readonly { value: DiffusionDraft['sampler']; label: string }[] = [
  { value: 'reverse-sde', label: 'Reverse SDE (Euler–Maruyama)' },
  { value: 'probability-flow', label: 'Probability-flow ODE (Heun)' },
];

/** The generator's own panel: segments and depth, the score network, its training, the sampler and the paths. */
export function DiffusionPanel() {
  const g = useLab((s) => s.draft.market.diffusion);
  const edit = useLab((s) => s.edit);
  const field = (k: SettingField) => (
    <NumberField key={k} name={`market.diffusion.${FIELDS[k].path}`} label={FIELDS[k].label} hint={FIELDS[k].hint} integer={FIELDS[k].integer} value={g[k]} onChange={(v) => edit((d) => void (d.market.diffusion[k] = v))} />
  );
  const depth = Number(g.depth);
  const harmonics = Number.isInteger(depth) ? Math.max(0, depth - 2) : null;
  return (
    <Panel
      title="Signature diffusion"
      note="Paper 003 §3.3 (SigDiffusions): each traded asset’s training prices are cut into segments, each embedded as the log-signature of its path with the time channels (t, sin t, cos t − 1); a small Transformer learns the score of those vectors under a variance-preserving SDE (β from 0.1 to 20) by denoising score matching; new vectors are sampled by reversing the SDE and inverted to segments through their Fourier coefficients; segments are stitched into paths. One generator per asset: the assets’ paths are independent."
    >
      {(['segmentDays', 'depth', 'stride'] as const).map(field)}
      <p className="panel-hint wide" data-testid="diffusion-resolution">
        {harmonics === null
          ? 'The depth sets how finely a segment is resolved.'
          : `Resolution: each ${g.segmentDays}-day segment comes back as its increment plus ${harmonics} harmonic${harmonics === 1 ? '' : 's'}, ${1 + 2 * harmonics} numbers for ${g.segmentDays} days, so its days move smoothly${g.residuals === 'bootstrap' ? ' until the training residuals are added' : ''}.`}
      </p>
      {(['width', 'heads', 'layers', 'mlpUnits', 'epochs', 'batchSize', 'learningRate'] as const).map(field)}
      <SelectField
        name="market.diffusion.sampling.sampler"
        label="Sampler"
        value={g.sampler}
        options={SAMPLERS}
        onChange={(v) => edit((d) => void (d.market.diffusion.sampler = v))}
        hint="The reverse SDE at 50 steps matches AAPL’s returns far better than the probability-flow ODE at the same cost (README)"
      />
      {field('samplingSteps')}
      <SelectField
        name="market.diffusion.residuals"
        label="Daily detail"
        wide
        value={g.residuals}
        options={RESIDUALS}
        onChange={(v) => edit((d) => void (d.market.diffusion.residuals = v))}
        hint="Residuals: each generated segment gets the daily returns a training segment’s harmonics missed (summing to 0, so its increment is kept); on AAPL they bring the daily std from 1.1% to 1.5%, the real 1.6% (README)"
      />
      {field('paths')}
      <FirstPhaseButton
        testId="generate-paths"
        label="Generate the paths"
        after="alone: the score-matching loss, a fan of the paths and their stylised facts against the real ones, without the hedgers (Stop ends it; Run then reuses the generators)."
      />
    </Panel>
  );
}
