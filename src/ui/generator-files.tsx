/**
 * The signature-diffusion generators the tab keeps (DESIGN.md, "Trained models"; paper 003 §3.3): which
 * assets' generators are kept for the experiment on the form, "Download generators" (one JSON file with
 * their settings, embeddings and weights, experiment/generator-files.ts) and "Load generators…", which puts
 * downloaded ones in their place, so that Generate and Run reuse them instead of training. A refused file
 * leaves the kept generators as they were and says what is wrong.
 */
import { useEffect } from 'react';
import { significant } from './charts/significant';
import { useLab } from './lab-store';
import { ModelFileMessage } from './model-file-message';

export function GeneratorFiles() {
  const file = useLab((s) => s.generatorFile);
  const running = useLab((s) => s.run.phase !== 'idle');
  const workerReady = useLab((s) => s.backend.active !== null);
  const config = useLab((s) => s.check.config);
  const data = useLab((s) => s.data);
  const save = useLab((s) => s.saveGenerators);
  const load = useLab((s) => s.loadGenerators);
  const dismiss = useLab((s) => s.dismissGeneratorMessage);
  const refresh = useLab((s) => s.refreshGenerators);
  // The kept generators belong to the form's experiment: asked again whenever it, the data or the worker change.
  useEffect(() => void refresh(), [config, data, workerReady, refresh]);
  const { kept } = file;
  return (
    <div className="forecaster-files" data-testid="generator-files">
      <p className="about" data-testid="generators-kept">
        {kept
          ? `Kept in this tab for the experiment on the form: ${kept.assets
              .map((a) => `${a.asset} (${a.loadedFrom ? `loaded from “${a.loadedFrom}”` : `trained ${a.trainedEpochs} epochs`}, loss ${significant(a.loss)})`)
              .join(', ')}. Generate and Run reuse them.`
          : 'No generators of the experiment on the form are kept in this tab yet: Generate or Run trains one per traded asset and keeps them for the next run of the same settings.'}
      </p>
      <div className="row-buttons">
        <button type="button" data-testid="download-generators" disabled={!kept || file.busy} title="Save the kept generators as one JSON file to load in another tab" onClick={() => void save()}>
          Download generators
        </button>
        <label className={`file-button${running || file.busy || !workerReady ? ' disabled' : ''}`} title="Choose a generator file downloaded from the lab">
          Load generators…
          <input
            type="file"
            accept=".json,application/json"
            disabled={running || file.busy || !workerReady}
            data-testid="generators-input"
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              e.target.value = '';
              if (chosen) void load(chosen);
            }}
          />
        </label>
      </div>
      <ModelFileMessage message={file.message} refused={file.refused} dismiss={dismiss} testId="generators" />
    </div>
  );
}
