/**
 * The settings of paper 003's sequence hedgers on the strategies panel: the RNN's LSTM layers, units and
 * lagged returns (§4.1), the SigFormer's model_dim d, signature order m, heads, blocks, MLP width and
 * dropout (§4.2, appendix 8.3.3: the paper's d 8, m 3, 2 heads, 2 blocks), then their shared training: the
 * budget, the P&L clip before the entropic risk (§2) and early stopping (§5, appendix 8.4). Each hint gives
 * the schema's bounds (schema.ts rnnNetworkSchema, sigformerNetworkSchema, sequenceTrainingSchema).
 */
import { CheckboxField, NumberField } from './form-fields';
import type { StrategyDraft } from './form-draft';
import { useLab } from './lab-store';

type SequenceField = 'layers' | 'units' | 'lags' | 'modelDim' | 'order' | 'heads' | 'blocks' | 'mlpUnits' | 'dropout' | 'epochs' | 'batchSize' | 'learningRate' | 'clip' | 'patience';

interface FieldLabel {
  /** The schema path under the strategy. */
  path: string;
  label: string;
  hint: string;
  integer?: boolean;
}

const FIELDS: Record<SequenceField, FieldLabel> = {
  layers: { path: 'network.layers', label: 'LSTM layers', hint: 'Stacked recurrent layers, 1 to 4 (the paper: 2, as in He et al. 2025)', integer: true },
  units: { path: 'network.units', label: 'Units per layer', hint: 'Width of each LSTM state, 2 to 256', integer: true },
  lags: { path: 'network.lags', label: 'Lagged returns L', hint: 'The decision at t reads the log-returns of days t−L to t−1 of every traded asset (§4.1), 1 to 250', integer: true },
  modelDim: { path: 'network.modelDim', label: 'Model dim d', hint: 'Width of the projected input stream whose signatures are taken, 1 to 16 (the paper: 8)', integer: true },
  order: { path: 'network.order', label: 'Signature order m', hint: 'Levels 1..m of the streaming signature (§4.2), 1 to 4, with d^m at most 4096 (the paper: 3)', integer: true },
  heads: { path: 'network.heads', label: 'Attention heads', hint: 'Heads of the causal self-attention at each signature level, 1 to 8 (the paper: 2)', integer: true },
  blocks: { path: 'network.blocks', label: 'Blocks', hint: 'Attention + MLP blocks with residuals and layer norm, 1 to 6 (the paper: 2)', integer: true },
  mlpUnits: { path: 'network.mlpUnits', label: 'MLP units', hint: 'Width of each block’s position-wise MLP, 1 to 1024 (Tong et al.: 4 d² = 256 at d 8)', integer: true },
  dropout: { path: 'network.dropout', label: 'Dropout', hint: 'Share of activations dropped while training, 0 to 0.9; none when scored (the paper: 0.1)' },
  epochs: { path: 'training.epochs', label: 'Epochs', hint: '1 to 5000; fewer if early stopping ends training first', integer: true },
  batchSize: { path: 'training.batchSize', label: 'Batch size', hint: 'Paths per Adam step, 8 up to the training paths', integer: true },
  learningRate: { path: 'training.learningRate', label: 'Learning rate', hint: 'Adam’s step size, 1e-6 to 1 (the paper’s presets: 1e-3)' },
  clip: { path: 'training.clip', label: 'P&L clip', hint: 'The P&L is clipped to ± this (in the market’s price units) before the risk measure, 0 to 1e6; 0: no clipping' },
  patience: { path: 'training.patience', label: 'Early-stopping patience', hint: 'Epochs without a better validation loss before training stops, 0 to 1000; 0: train every epoch', integer: true },
};

const NETWORK: Record<'rnn' | 'sigformer', SequenceField[]> = {
  rnn: ['layers', 'units', 'lags'],
  sigformer: ['modelDim', 'order', 'heads', 'blocks', 'mlpUnits', 'dropout'],
};

const TRAINING: SequenceField[] = ['epochs', 'batchSize', 'learningRate', 'clip', 'patience'];

export function SequenceFields({ row, index }: { row: StrategyDraft; index: number }) {
  const edit = useLab((s) => s.edit);
  const key = `strategies.${index}`;
  const type = row.type as 'rnn' | 'sigformer';
  const field = (f: SequenceField) => (
    <NumberField key={f} name={`${key}.${FIELDS[f].path}`} label={FIELDS[f].label} hint={FIELDS[f].hint} integer={FIELDS[f].integer} value={row[f]} onChange={(v) => edit((d) => void (d.strategies[index]![f] = v))} />
  );
  return (
    <div className="strategy-params">
      {NETWORK[type].map(field)}
      {TRAINING.map(field)}
      <CheckboxField
        name={`${key}.training.freshPaths`}
        label="Fresh training paths every epoch"
        checked={row.freshPaths}
        onChange={(v) => edit((d) => void (d.strategies[index]!.freshPaths = v))}
      />
      <p className="panel-note" style={{ gridColumn: '1 / -1', margin: '2px 0' }} data-testid={`${row.id}-training-note`}>
        Trained on the experiment’s risk measure (the paper’s entropic risk), the P&amp;L first clipped to ± the clip so that a few huge losses cannot overflow the
        exponential; after each epoch it is scored on the validation paths, and with a patience it stops once that many epochs bring no better validation loss and keeps
        the best epoch’s weights (paper 003 §5, appendix 8.4).
      </p>
    </div>
  );
}
