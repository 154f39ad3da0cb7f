import { describe, expect, it } from 'vitest';
import { applyJobEvents, cellLabel, comparisonCsv, comparisonJobs, emptyComparison, scoredEpochs, stopComparison } from '../../src/engine/experiment/comparison';
import type { Metrics, RunEvent } from '../../src/engine/experiment/events';
import { paper001Experiment } from '../../src/engine/experiment/presets';
import { parseSweep } from '../../src/engine/experiment/sweep';

const base = paper001Experiment({ name: 'fig', strike: 1.2, cost: 2e-3, epochs: 3, checkpoints: [2, 3] });

function cells() {
  const r = parseSweep({ name: 'two costs', base, grid: { 'costs.proportional': [2e-3, 4e-3] } });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r;
}

const metrics = (x: number): Metrics => ({ mean: x, std: 2 * x, var90: 0, var95: 0, var99: 0, es90: 3 * x, es95: 0, es99: 0, entropic: 4 * x, avg_r: 0, skew: 0, kurtosis: 0, turnover: 0, cost: 0, price: 0, risk: 0 });
const histogram = { edges: Float64Array.from([0, 1]), density: Float64Array.from([1]) };

describe('comparisons', () => {
  it('split every cell into one job per strategy, each with that strategy alone and the same seed', () => {
    const { cells: c } = cells();
    const jobs = comparisonJobs(c);
    expect(jobs.map((j) => `${j.cell}:${j.strategyId}`)).toEqual(['0:bs-delta', '0:dhmlp', '0:dhntb', '0:dhlnn', '1:bs-delta', '1:dhmlp', '1:dhntb', '1:dhlnn']);
    for (const j of jobs) {
      expect(j.config.strategies.map((s) => s.id)).toEqual([j.strategyId]);
      expect(j.config.seed).toBe(base.seed);
    }
    expect(scoredEpochs(jobs[0].config)).toEqual([0, 2, 3]);
    expect(scoredEpochs(jobs[1].config)).toEqual([2, 3]);
  });

  it('record losses, checkpoint densities and final metrics from each job, and export them as CSV', () => {
    const parsed = cells();
    let record = emptyComparison('two costs', parsed.sweep.axes, parsed.cells);
    const job = { cell: 1, strategyId: 'dhlnn' };
    const events: RunEvent[] = [
      { type: 'loss', strategyId: 'dhlnn', epoch: 1, loss: 0.5, seconds: 1 },
      { type: 'pnl', strategyId: 'dhlnn', epoch: 1, histogram, metrics: metrics(1) },
      { type: 'loss', strategyId: 'dhlnn', epoch: 2, loss: 0.4, seconds: 2 },
      { type: 'pnl', strategyId: 'dhlnn', epoch: 2, histogram, metrics: metrics(2) },
    ];
    record = applyJobEvents(record, job, [2, 3], events);
    const s = record.cells[1].strategies[3];
    expect(s.status).toBe('running');
    expect(s.training).toEqual({ epochs: [1, 2], loss: [0.5, 0.4], seconds: 2 });
    expect(s.elapsed).toEqual([1, 2]);
    expect(s.checkpoints.map((c) => c.epoch)).toEqual([2]);
    // Untouched records are shared.
    const before = record;
    record = applyJobEvents(record, { cell: 0, strategyId: 'bs-delta' }, [0], [{ type: 'pnl', strategyId: 'bs-delta', epoch: null, histogram, metrics: metrics(5) }]);
    expect(record.cells[1]).toBe(before.cells[1]);
    expect(record.cells[0].strategies[0].checkpoints[0].epoch).toBe(0);

    const csv = comparisonCsv(record).trim().split('\n');
    expect(csv[0]).toBe('costs.proportional,strategy,type,epoch,mean,std,entropic,es90,es95,es99,var90,var95,var99,avg_r,skew,kurtosis,turnover,cost,price,risk');
    expect(csv.slice(1).map((r) => r.split(',').slice(0, 8).join(','))).toEqual(['0.002,bs-delta,bs-delta,0,5,10,20,15', '0.004,dhlnn,dhlnn,2,2,4,8,6']);
    record = stopComparison(record);
    expect(record.cells[1].strategies[3].status).toBe('stopped');
    expect(cellLabel(record.cells[1].params)).toBe('cost 0.004');
  });
});
