/**
 * "Download results" (issue 16): once a run is done, saves it as one JSON file, hedgelab-<experiment>.json,
 * holding the result document the CLI prints (engine's result-document.ts: config, backend, every
 * strategy's metrics and training record, launches per step included) and the worker's report of the
 * backend it ran on (WebGPU adapter, WASM SIMD and threads).
 */
import type { RunResult } from '../engine/experiment/events';
import { resultDocument } from '../engine/experiment/result-document';
import type { BackendReport } from '../client/lab-client';
import { download, fileStem } from './file-download';
import { useLab } from './lab-store';

/** The saved file's content: the result document with the backend report beside it. */
function resultFile(result: RunResult, backend: BackendReport | null): string {
  return JSON.stringify({ ...resultDocument(result), backendReport: backend }, null, 2);
}

export function DownloadResultButton() {
  const result = useLab((s) => s.view.result);
  const backend = useLab((s) => s.run.backend);
  if (!result) return null;
  return (
    <button
      type="button"
      data-testid="download-result"
      title="Save this run (experiment, metrics, training curves, backend) as one JSON file, as the CLI prints it"
      onClick={() => download(`hedgelab-${fileStem(result.config.name, 'run')}.json`, 'application/json', resultFile(result, backend))}
    >
      Download results
    </button>
  );
}
