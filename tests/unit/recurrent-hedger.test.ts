import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket } from '../../src/engine/experiment/market';
import { PAPER002_KFAC, preset } from '../../src/engine/experiment/presets';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import { positionsFromTrades, RecurrentHedger } from '../../src/engine/policies/recurrent-hedger';
import { varianceCostLoss } from '../../src/engine/risk/variance-cost';
import { stream } from '../../src/engine/random/stream';
import { DhKfac } from '../../src/engine/trainers/dh-kfac';
import { batchPass, objective } from '../../src/engine/trainers/recurrent-gradients';
import { ScheduledAdam, scheduledRate } from '../../src/engine/trainers/scheduled-adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The cliquet-race problem shortened to 24 steps (resets every 6) with the options that fit, on 12 paths. */
async function cliquetProblem(n = 12) {
  const cfg = preset('cliquet-race');
  Object.assign(cfg.market, { steps: 24, maturityDays: 24 });
  cfg.claim = { type: 'cliquet', resetSteps: 6, cap: 0.015 };
  const options = cfg.instruments.options;
  if (options.grid !== 'floating') throw new Error('cliquet-race trades the floating grid');
  options.options = [
    { maturitySteps: 10, moneyness: 1.01 },
    { maturitySteps: 10, moneyness: 0.99 },
    { maturitySteps: 20, moneyness: 1.0 },
  ];
  cfg.paths = { train: n, test: n, validation: n };
  const market = await prepareMarket(cfg);
  const sample = market.draw(n, stream(5, 'test-paths'));
  const layout = sampleLayout(sample, 24);
  const { problem: p, rows, tensors } = sampledProblem(cfg, market, sample, layout);
  return { cfg, p, rows, layout, market, dispose: () => tf.dispose(tensors) };
}

describe("paper 002's recurrent hedger", () => {
  it('trades nothing in an option where it cannot trade, on every path and date, and holds the sum of its spot trades', async () => {
    const { p, dispose } = await cliquetProblem();
    const net = new RecurrentHedger(p.featureNames.length, p.instruments.length, 2, 8, stream(1, 'init'));
    net.layers.at(-1)!.weight.assign(tf.mul(net.layers.at(-1)!.weight, 200)); // sizeable trades everywhere
    const u = await net.trades(p).array();
    const positions = await Promise.all(net.positions(p).map((x) => x.array()));
    const available = await Promise.all(p.instruments.map((i) => i.available.array()));
    expect(u.length).toBe(24);
    let zeroed = 0;
    for (let t = 0; t < 24; t++) {
      for (let j = 0; j < 12; j++) {
        p.instruments.forEach((_, i) => {
          if (available[i][0][t] === 0) {
            expect(Math.abs(u[t][j][i])).toBe(0);
            zeroed++;
          } else if (i > 0) expect(positions[i][j][t]).toBeCloseTo(u[t][j][i], 6);
        });
        const held = u.slice(0, t + 1).reduce((s, ut) => s + ut[j][0], 0);
        expect(Math.abs(positions[0][j][t] - held)).toBeLessThan(1e-6 * Math.max(1, Math.abs(held)));
      }
    }
    // The 10-step options stop 9 dates before the end, the 20-step one 19 dates before: 12 paths x (9 + 9 + 19).
    expect(zeroed).toBe(12 * (9 + 9 + 19));
    net.dispose();
    dispose();
  });

  it('starts from almost no hedge: zero output bias, output weights 1e-3 of He scale', async () => {
    const net = new RecurrentHedger(6, 4, 4, 32, stream(3, 'init'));
    const out = net.layers.at(-1)!;
    expect(await out.bias.data()).toEqual(new Float32Array(4));
    const w = Array.from(await out.weight.data());
    const rms = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(rms / (Math.sqrt(2 / 32) * 1e-3)).toBeGreaterThan(0.8);
    expect(rms / (Math.sqrt(2 / 32) * 1e-3)).toBeLessThan(1.2);
    expect(net.variables.length).toBe(2 * 6 + 4);
    net.dispose();
  });

  it('back-propagates the exact gradient of eq. 3 (against central finite differences)', async () => {
    const { p, dispose } = await cliquetProblem(6);
    const net = new RecurrentHedger(p.featureNames.length, p.instruments.length, 1, 4, stream(7, 'init'));
    net.layers.at(-1)!.weight.assign(tf.mul(net.layers.at(-1)!.weight, 300));
    const pass = batchPass(net, p, 1000, false);
    const probe = [
      { v: 0, index: 3 },
      { v: 2, index: 10 },
      { v: 4, index: 5 },
      { v: 5, index: 1 },
      { v: 6, index: 2 },
    ];
    const h = 1e-3;
    for (const { v, index } of probe) {
      const x = net.variables[v];
      const base = await x.data();
      const at = async (delta: number) => {
        const moved = Float32Array.from(base);
        moved[index] += delta;
        x.assign(tf.tensor(moved, x.shape));
        const value = objective(net, p, 1000);
        const [r] = await value.data();
        value.dispose();
        return r;
      };
      const fd = ((await at(h)) - (await at(-h))) / (2 * h);
      x.assign(tf.tensor(base, x.shape));
      const analytic = (await pass.grads[v].data())[index];
      expect(Math.abs(analytic - fd)).toBeLessThan(2e-2 * Math.abs(fd) + 2e-3);
    }
    tf.dispose([pass.loss, ...pass.grads]);
    net.dispose();
    dispose();
  });

  it('splits a batch larger than one pass into passes that add up to the exact loss and gradient', async () => {
    const { p, dispose } = await cliquetProblem(300);
    const net = new RecurrentHedger(p.featureNames.length, p.instruments.length, 1, 4, stream(8, 'init'));
    net.layers.at(-1)!.weight.assign(tf.mul(net.layers.at(-1)!.weight, 300));
    const pass = batchPass(net, p, 1000, true); // 256 + 44 paths
    const reference = tf.valueAndGrads((...params: tf.Tensor[]) => {
      const { pnl, cost } = hedgingPnl(p, positionsFromTrades(p, net.trades(p, params)));
      return varianceCostLoss(pnl, cost, 1000);
    })(net.variables);
    const [loss, expected] = [(await pass.loss.data())[0], (await reference.value.data())[0]];
    expect(Math.abs(loss - expected)).toBeLessThan(1e-5 * Math.abs(expected));
    for (let v = 0; v < net.variables.length; v++) {
      const [got, want] = [await pass.grads[v].data(), await reference.grads[v].data()];
      const scale = Math.max(...Array.from(want, Math.abs));
      want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThan(1e-3 * scale + 1e-9));
    }
    expect((await pass.gradientVariance!.data())[0]).toBeGreaterThan(0);
    tf.dispose([pass.loss, ...pass.grads, ...pass.activationFactors!, pass.gradientVariance, reference.value, ...reference.grads]);
    net.dispose();
    dispose();
  });

  it('Adam rises linearly over the warm-up, then decays', () => {
    const s = { learningRate: 1e-3, decay: 0.99, clipNorm: 1, warmup: 4 };
    expect([0, 1, 2, 3].map((k) => scheduledRate(s, k))).toEqual([2.5e-4, 5e-4, 7.5e-4, 1e-3]);
    expect(scheduledRate(s, 6)).toBeCloseTo(1e-3 * 0.99 ** 2, 12);
  });

  it('Adam and DH-KFAC steps leak no tensors', async () => {
    const { p, dispose } = await cliquetProblem(8);
    for (const make of [
      (net: RecurrentHedger) => new ScheduledAdam(net, 1000, { learningRate: 1e-3, decay: 0.999, clipNorm: 1, warmup: 2 }),
      (net: RecurrentHedger) => new DhKfac(net, { gamma: 1000, ...PAPER002_KFAC, trustRegion: 1e-9, covarianceEvery: 2, eigenEvery: 3, earlyIterations: 2, curvaturePaths: 3 }, { noise: stream(1, 'z'), paths: stream(1, 'j'), probe: stream(1, 'k') }),
    ]) {
      const net = new RecurrentHedger(p.featureNames.length, p.instruments.length, 1, 4, stream(9, 'init'));
      const optimiser = make(net);
      await optimiser.step(p, 0, true);
      const before = tf.memory().numTensors;
      for (let i = 1; i <= 6; i++) await optimiser.step(p, i, i % 2 === 0);
      expect(tf.memory().numTensors).toBe(before);
      optimiser.dispose();
      net.dispose();
    }
    dispose();
  });
});
