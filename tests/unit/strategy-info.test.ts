/** What the page and the CLI call a strategy (src/engine/experiment/strategy-info.ts). */
import { describe, expect, it } from 'vitest';
import { findSweepPreset } from '../../src/engine/experiment/presets';
import { strategyInfo } from '../../src/engine/experiment/strategy-info';

describe('strategy labels', () => {
  it('tell the hedgers of a tuned race apart by learning rate and trust region', () => {
    const race = findSweepPreset('paper002-race');
    if (!race.ok) throw new Error(race.error);
    expect(race.value.base.strategies.map((s) => strategyInfo(s).label)).toEqual([
      'Recurrent 4x32 (Adam, lr 3e-4)',
      'Recurrent 4x32 (Adam, lr 1e-3)',
      'Recurrent 4x32 (Adam, lr 3e-3)',
      'Recurrent 4x32 (DH-KFAC, trust region 1e-3)',
    ]);
  });
});
