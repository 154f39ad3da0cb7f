/**
 * The forecaster the tab keeps (DESIGN.md, "Trained models"): what it was trained on, "Download forecaster"
 * (its two files in tfjs's model format: the JSON with the manifest, and the weights) and "Load forecaster…",
 * which puts a downloaded forecaster in its place, so that Run reuses it instead of training one. A refused
 * file leaves the kept forecaster as it was and says what is wrong.
 */
import { useLab } from './lab-store';
import { ModelFileMessage } from './model-file-message';
import { significant } from './charts/significant';

/** "F1-01, F1-02", or "F1-01 … F3-30 (30)" for many. */
const assetList = (assets: string[]) => (assets.length <= 4 ? assets.join(', ') : `${assets[0]} … ${assets.at(-1)} (${assets.length})`);

export function ForecasterFiles() {
  const file = useLab((s) => s.forecasterFile);
  const running = useLab((s) => s.run.phase !== 'idle');
  const workerReady = useLab((s) => s.backend.active !== null);
  const save = useLab((s) => s.saveForecaster);
  const load = useLab((s) => s.loadForecaster);
  const dismiss = useLab((s) => s.dismissForecasterMessage);
  const { kept } = file;
  return (
    <div className="forecaster-files" data-testid="forecaster-files">
      <p className="about" data-testid="forecaster-kept">
        {kept
          ? `Kept in this tab${kept.loadedFrom ? ` (loaded from “${kept.loadedFrom}”)` : ''}: a forecaster trained ${kept.trainedEpochs} epoch${kept.trainedEpochs === 1 ? '' : 's'} on ${kept.market}; validation NLL ${significant(kept.validationNll)}; assets ${assetList(kept.assets)}. A run on the same data, split, settings and seed reuses it.`
          : 'No forecaster is kept in this tab yet: Run trains one and keeps it for the next run of the same settings.'}
      </p>
      <div className="row-buttons">
        <button
          type="button"
          data-testid="download-forecaster"
          disabled={!kept || file.busy}
          title="Save the kept forecaster as two files (the model JSON with its manifest, and its weights) to load in another tab"
          onClick={() => void save()}
        >
          Download forecaster
        </button>
        <label className={`file-button${running || file.busy || !workerReady ? ' disabled' : ''}`} title="Choose both files of a downloaded forecaster: its .json and its .bin">
          Load forecaster…
          <input
            type="file"
            accept=".json,.bin,application/json,application/octet-stream"
            multiple
            disabled={running || file.busy || !workerReady}
            data-testid="forecaster-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void load(files);
            }}
          />
        </label>
      </div>
      <ModelFileMessage message={file.message} refused={file.refused} dismiss={dismiss} testId="forecaster" />
    </div>
  );
}
