/**
 * The History view (issue 18): the runs this browser kept, newest first, each with its name, date, outcome,
 * backend, duration and best hedge by the run's risk measure; per run Reopen (its experiment and charts in
 * the Lab, without running), Rename, Export and Delete (with Undo); Import and Export all; the storage the
 * browser reports; when a run did not fit, a banner offering the oldest runs for deletion; and, once two runs
 * are ticked, their comparison (history-comparison.tsx). Names and files are shown as text, never as HTML.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { HistoryComparison } from './history-comparison';
import { useLab } from './lab-store';
import { MAX_RUN_NAME, savedAtText, type RunSummary } from './run-record';
import { useRunHistory } from './run-history-store';
import { bytesText, roomMakers } from './storage-room';
import { significant } from './charts/significant';

/** How many of the oldest runs the full-storage banner lists, at least. */
const OFFERED = 3;

/** 12.34 -> "12.3 s", 125 -> "2 min 5 s", 7300 -> "2 h 2 min". */
function durationText(seconds: number): string {
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes < 60 ? `${minutes} min ${whole % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function StorageLine() {
  const storage = useRunHistory((s) => s.storage);
  const runs = useRunHistory((s) => s.runs);
  const kept = runs.reduce((sum, r) => sum + r.bytes, 0);
  return (
    <p className="about" data-testid="history-storage">
      {runs.length} {runs.length === 1 ? 'run' : 'runs'} kept, {bytesText(kept)}.{' '}
      {storage ? (
        <>
          This site uses {bytesText(storage.usage)} of the {bytesText(storage.quota)} the browser offers it;{' '}
          {storage.persisted ? 'the browser keeps them until you delete them.' : 'the browser may clear them when the disk runs low: export the runs you want to keep.'}
        </>
      ) : (
        'This browser does not say how much space it offers.'
      )}
    </p>
  );
}

/** Runs held in memory: waiting for space (with the oldest runs offered for deletion), or that storage refused. */
function PendingRuns() {
  const pending = useRunHistory((s) => s.pending);
  const runs = useRunHistory((s) => s.runs);
  const storage = useRunHistory((s) => s.storage);
  const { makeRoom, exportPending, discardPending } = useRunHistory.getState();
  if (pending.length === 0) return null;
  const full = pending.some((p) => p.failure === null);
  const makers = roomMakers(runs, pending, storage);
  const offered = [...runs].reverse().slice(0, Math.max(OFFERED, makers?.length ?? 0));
  return (
    <div className="banner error history-pending" role="alert" data-testid="history-full">
      <div>
        <p>
          <strong>
            {pending.length === 1 ? 'A run is' : `${pending.length} runs are`} not saved{full ? ': storage is full' : ''}.
          </strong>{' '}
          {pending.length === 1 ? 'It is' : 'They are'} kept in this tab until saved; closing the tab loses {pending.length === 1 ? 'it' : 'them'}.
        </p>
        <ul className="history-offers">
          {pending.map((p) => (
            <li key={p.summary.id} data-testid="history-pending-run">
              <span>
                <strong>{p.summary.name}</strong>, {savedAtText(p.summary.savedAt)}, {bytesText(p.summary.bytes)}
                {p.failure !== null && <> (could not be saved: {p.failure})</>}
              </span>
              <button type="button" onClick={() => void exportPending(p.summary.id)}>
                Export
              </button>
              <button type="button" onClick={() => discardPending(p.summary.id)}>
                Discard
              </button>
            </li>
          ))}
        </ul>
        {full && offered.length > 0 && (
          <>
            <p>Delete older runs to make room (oldest first):</p>
            <ul className="history-offers">
              {offered.map((r) => (
                <li key={r.id} data-testid="history-offer">
                  <span>
                    <strong>{r.name}</strong>, {savedAtText(r.savedAt)}, {bytesText(r.bytes)}
                  </span>
                  <button type="button" data-testid="history-offer-delete" onClick={() => void makeRoom([r.id])}>
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        {full &&
          (makers ? (
            <button type="button" data-testid="history-make-room" onClick={() => void makeRoom(makers.map((r) => r.id))}>
              Delete the {makers.length === 1 ? 'oldest run' : `${makers.length} oldest runs`} ({bytesText(makers.reduce((sum, r) => sum + r.bytes, 0))}) to make room
            </button>
          ) : (
            <p>Deleting every kept run would not make room: export the run to keep it, or free space in the browser&apos;s settings.</p>
          ))}
      </div>
    </div>
  );
}

/** What the last action did (with Undo after a deletion), why an import was refused, or why the history cannot be used. */
function HistoryMessages() {
  const message = useRunHistory((s) => s.message);
  const deleted = useRunHistory((s) => s.deleted);
  const importErrors = useRunHistory((s) => s.importErrors);
  const problem = useRunHistory((s) => s.problem);
  const { undoRemove, dismiss } = useRunHistory.getState();
  return (
    <>
      {problem && (
        <p className="banner error" role="alert" data-testid="history-problem">
          <span>{problem}</span>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </p>
      )}
      {importErrors.length > 0 && (
        <div className="banner error" role="alert" data-testid="history-import-errors">
          <div>
            <strong>Nothing was imported:</strong>
            <ul>
              {importErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
      {message && (
        <p className="banner history-message" role="status" data-testid="history-message">
          <span>
            {message}
            {deleted && (
              <button type="button" data-testid="history-undo" onClick={() => void undoRemove()}>
                Undo
              </button>
            )}
          </span>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </p>
      )}
    </>
  );
}

/** The run's name, or while renaming a text field: Enter saves, Escape cancels, leaving the field saves. */
function RunName({ run, editing, onDone }: { run: RunSummary; editing: boolean; onDone: () => void }) {
  const [name, setName] = useState(run.name);
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    setName(run.name);
    setRefusal(null);
  }, [run.name, editing]);
  if (!editing) return <span data-testid="history-name">{run.name}</span>;
  const save = async () => {
    if (name.trim() === run.name) return onDone();
    const why = await useRunHistory.getState().rename(run.id, name);
    if (why) setRefusal(why);
    else onDone();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') void save();
    if (e.key === 'Escape') onDone();
  };
  return (
    <span className="history-rename">
      <input
        type="text"
        autoFocus
        aria-label="New name"
        data-testid="history-rename-input"
        maxLength={MAX_RUN_NAME + 20}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => void save()}
      />
      {refusal && (
        <span className="field-error" role="alert">
          {refusal}
        </span>
      )}
    </span>
  );
}

function bestText(run: RunSummary): string {
  if (run.best) return `${run.best.label}: risk ${significant(run.best.risk)}, std ${significant(run.best.std)}`;
  if (run.forecasterNll !== null) return `Forecaster: validation NLL ${significant(run.forecasterNll)}`;
  return 'not scored';
}

function RunRow({ run, running }: { run: RunSummary; running: boolean }) {
  const picked = useRunHistory((s) => s.picked.includes(run.id));
  const { pick, reopen, exportRuns, remove } = useRunHistory.getState();
  const [editing, setEditing] = useState(false);
  return (
    <tr data-testid="history-run" data-run-id={run.id}>
      <td>
        <input type="checkbox" aria-label={`Compare ${run.name}`} data-testid="history-pick" checked={picked} onChange={(e) => void pick(run.id, e.target.checked)} />
      </td>
      <th scope="row">
        <RunName run={run} editing={editing} onDone={() => setEditing(false)} />
        <div className="history-buttons">
          <button type="button" data-testid="history-reopen" disabled={running} title={running ? 'Wait for the run in the Lab to end' : 'Show this run’s experiment and charts in the Lab, without running it'} onClick={() => void reopen(run.id)}>
            Reopen
          </button>
          <button type="button" data-testid="history-rename" onClick={() => setEditing(true)}>
            Rename
          </button>
          <button type="button" data-testid="history-export" onClick={() => void exportRuns([run.id])}>
            Export
          </button>
          <button type="button" data-testid="history-delete" onClick={() => void remove(run.id)}>
            Delete
          </button>
        </div>
      </th>
      <td>{savedAtText(run.savedAt)}</td>
      <td className={`outcome ${run.outcome}`}>{run.outcome}</td>
      <td>{run.backend}</td>
      <td>{durationText(run.durationSeconds)}</td>
      <td className="history-best" data-testid="history-best" title={`${run.scored} of ${run.strategies} strategies scored`}>
        {bestText(run)}
      </td>
      <td>{bytesText(run.bytes)}</td>
    </tr>
  );
}

function RunList({ runs }: { runs: RunSummary[] }) {
  const running = useLab((s) => s.run.phase !== 'idle');
  const picked = useRunHistory((s) => s.picked.length);
  return (
    <>
      <p className="about">{picked === 1 ? 'Tick one more run to compare the two.' : 'Tick two runs to compare their metrics and P&L densities.'}</p>
      <div className="table-scroll">
        <table className="metrics history-list" data-testid="history-list">
          <thead>
            <tr>
              <th scope="col">compare</th>
              <th scope="col">run</th>
              <th scope="col">saved</th>
              <th scope="col">outcome</th>
              <th scope="col">backend</th>
              <th scope="col">duration</th>
              <th scope="col" title="The strategy the run's risk measure scores best on the test paths, and its standard deviation of P&L">
                best hedge
              </th>
              <th scope="col">size</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} run={r} running={running} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function HistoryView() {
  const status = useRunHistory((s) => s.status);
  const runs = useRunHistory((s) => s.runs);
  const { refresh, importFiles, exportRuns } = useRunHistory.getState();
  useEffect(() => void refresh(), [refresh]);
  return (
    <div className="charts" role="tabpanel" id="history-view" aria-labelledby="tab-history">
      <section className="card wide history" data-testid="history-card">
        <h2>Run history</h2>
        <p className="about">
          Every run that finished or was stopped is kept in this browser (IndexedDB): its experiment, metrics and every chart, with the backend it ran on and how long it
          took. Nothing leaves your machine unless you export it.
        </p>
        <StorageLine />
        <PendingRuns />
        <HistoryMessages />
        <div className="history-actions">
          <label className="file-button">
            Import runs…
            <input
              type="file"
              accept=".json,application/json"
              multiple
              data-testid="history-import"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                if (files.length) void importFiles(files);
              }}
            />
          </label>
          <button type="button" data-testid="history-export-all" disabled={runs.length === 0} onClick={() => void exportRuns(runs.map((r) => r.id))}>
            Export all
          </button>
        </div>
        {status === 'ready' && runs.length === 0 && (
          <p className="history-empty" data-testid="history-empty">
            Runs appear here after Run: each one that finishes or is stopped is kept, to reopen, compare with another or export as a file.
          </p>
        )}
        {status === 'reading' && <p className="history-empty">Reading the runs this browser kept…</p>}
        {runs.length > 0 && <RunList runs={runs} />}
      </section>
      <HistoryComparison />
    </div>
  );
}
