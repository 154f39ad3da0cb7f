import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket } from '../../src/engine/experiment/market';
import { PAPER002_KFAC, preset } from '../../src/engine/experiment/presets';
import { RecurrentHedger } from '../../src/engine/policies/recurrent-hedger';
import { stream } from '../../src/engine/random/stream';
import { sliceProblem } from '../../src/engine/hedging/problem';
import { biasCorrectedWeight, curvatureSchedule, DhKfac, shrunk } from '../../src/engine/trainers/dh-kfac';
import { batchPass, pseudoGradient, sampledCurvatureDirection } from '../../src/engine/trainers/recurrent-gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A cliquet on Heston over 8 steps (resets every 4) with the spot and one 4-step call, on n paths. */
async function tinyProblem(n: number) {
  const cfg = preset('cliquet-race');
  Object.assign(cfg.market, { steps: 8, maturityDays: 8 });
  cfg.claim = { type: 'cliquet', resetSteps: 4, cap: 0.015 };
  cfg.instruments.options = { grid: 'floating', options: [{ maturitySteps: 4, moneyness: 1.01 }], cost: 1e-2 };
  cfg.paths = { train: n, test: n, validation: n };
  const market = await prepareMarket(cfg);
  const sample = market.draw(n, stream(4, 'kfac-test'));
  const layout = sampleLayout(sample, 8);
  const { problem: p, tensors } = sampledProblem(cfg, market, sample, layout);
  return { p, dispose: () => tf.dispose(tensors) };
}

/** Kronecker product of row-major square matrices a (k x k) and b (l x l). */
function kron(a: Float32Array, k: number, b: Float32Array, l: number): Float64Array {
  const out = new Float64Array(k * l * k * l);
  for (let i = 0; i < k; i++)
    for (let a2 = 0; a2 < k; a2++)
      for (let j = 0; j < l; j++)
        for (let b2 = 0; b2 < l; b2++) out[(i * l + j) * (k * l) + a2 * l + b2] = a[i * k + a2] * b[j * l + b2];
  return out;
}

/** Solves the dense system M x = y (Gaussian elimination with partial pivoting, float64). */
function solve(m: Float64Array, y: Float64Array): Float64Array {
  const n = y.length;
  const a = Float64Array.from(m);
  const x = Float64Array.from(y);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[pivot * n + c])) pivot = r;
    for (let k = 0; k < n; k++) [a[c * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[c * n + k]];
    [x[c], x[pivot]] = [x[pivot], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

describe('DH-KFAC (paper 002 Algorithm 1)', () => {
  it('estimates A_l = T^{-1/2} sum_t E_batch[a~ a~^T] of the input layer from its inputs [I_t, u_{t-1}, 1]', async () => {
    const { p, dispose } = await tinyProblem(5);
    const net = new RecurrentHedger(p.featureNames.length, 2, 1, 3, stream(1, 'init'));
    net.layers.at(-1)!.weight.assign(tf.mul(net.layers.at(-1)!.weight, 300));
    const pass = batchPass(net, p, 1000, true);
    const features = (await p.features.array()) as number[][][];
    const u = (await net.trades(p).array()) as number[][][];
    const width = features[0][0].length + 2 + 1;
    const expected = new Float64Array(width * width);
    for (let t = 0; t < 8; t++)
      for (let j = 0; j < 5; j++) {
        const a = [...features[t][j], ...(t === 0 ? [0, 0] : u[t - 1][j]), 1];
        for (let r = 0; r < width; r++) for (let c = 0; c < width; c++) expected[r * width + c] += (a[r] * a[c]) / (5 * Math.sqrt(8));
      }
    const got = await pass.activationFactors![0].data();
    expected.forEach((e, i) => expect(Math.abs(got[i] - e)).toBeLessThan(1e-4 * (1 + Math.abs(e))));
    tf.dispose([pass.loss, ...pass.grads, ...pass.activationFactors!, pass.gradientVariance]);
    net.dispose();
    dispose();
  });

  it("samples L Z with covariance H_u = 2 gamma r r^T + 2 diag(c~) (eq. 12)", async () => {
    const { p, dispose } = await tinyProblem(2);
    const gamma = 1000;
    const k = 8;
    const draws = 3000;
    const samples: number[][] = [];
    for (let draw = 0; draw < draws; draw++) {
      const y = sampledCurvatureDirection(p, gamma, k, stream(6, 'lz'), draw);
      const v = (await y.array()) as number[][][];
      y.dispose();
      samples.push(v.flatMap((row) => row[0])); // path 0: (t, i) row-major, d = 2
    }
    const spot = ((await p.spot.array()) as number[][])[0];
    const optionReturns = ((await (p.instruments[1] as { returns: tf.Tensor2D }).returns.array()) as number[][])[0];
    const optionLive = ((await p.instruments[1].available.array()) as number[][])[0];
    const r: number[] = [];
    const c: number[] = [];
    for (let t = 0; t < 8; t++) {
      r.push(spot[8] - spot[t], optionReturns[t] * optionLive[t]);
      c.push(k * 1e-4 * spot[t], k * 1e-2 * spot[t] * optionLive[t]);
    }
    const h = (a: number, b: number) => 2 * gamma * r[a] * r[b] + (a === b ? 2 * c[a] : 0);
    for (const [a, b] of [[0, 0], [0, 2], [1, 1], [0, 1], [4, 6], [3, 3], [14, 14], [2, 9]]) {
      const empirical = samples.reduce((s, y) => s + y[a] * y[b], 0) / draws;
      expect(Math.abs(empirical - h(a, b))).toBeLessThan(0.1 * Math.sqrt(h(a, a) * h(b, b)) + 1e-12);
    }
    // Options that cannot trade have no curvature: the 4-step call is dead from date 5 on.
    expect(samples.every((y) => y[2 * 5 + 1] === 0 && y[2 * 7 + 1] === 0)).toBe(true);
    dispose();
  });

  it("splits the pseudo-gradient into the paths' own, which sum to it", async () => {
    const { p, dispose } = await tinyProblem(3);
    const net = new RecurrentHedger(p.featureNames.length, 2, 1, 3, stream(2, 'init'));
    const pseudo = pseudoGradient(net, p, 1000, 8, stream(3, 'z'), 0);
    for (let k = 0; k < net.layers.length; k++) {
      const summed = await tf.sum(pseudo.perPath[k], 0).data();
      const direct = await tf.concat([pseudo.grads[2 * k], pseudo.grads[2 * k + 1].reshape([1, -1])], 0).data();
      direct.forEach((g, i) => expect(Math.abs(summed[i] - g)).toBeLessThan(1e-4 * (1 + Math.abs(g))));
    }
    tf.dispose([...pseudo.grads, ...pseudo.gradientFactors, ...pseudo.perPath, ...pseudo.perPathGains]);
    net.dispose();
    dispose();
  });

  it("gives each path's own pseudo-gradient of the RMSNorm gains: the single-path pass's, summing to the batch's", async () => {
    const { p, dispose } = await tinyProblem(3);
    const net = new RecurrentHedger(p.featureNames.length, 2, 2, 3, stream(2, 'init'));
    // Gains away from 1, so that a gradient taken with respect to x instead of the gain would differ.
    net.gains.forEach((g, l) => g.assign(tf.tensor1d([0.5, 1.5, 2].map((v) => v + l))));
    const pseudo = pseudoGradient(net, p, 1000, 8, stream(3, 'z'), 0);
    // Path 0 alone with draw 0 sees the same Z as path 0 of the batch (Z is drawn path by path).
    const first = sliceProblem(p, 0, 1);
    const alone = pseudoGradient(net, first.problem, 1000, 8, stream(3, 'z'), 0);
    const L = net.layers.length;
    for (let l = 0; l < net.gains.length; l++) {
      const summed = await tf.sum(pseudo.perPathGains[l], 0).data();
      const direct = await pseudo.grads[2 * L + l].data();
      direct.forEach((g, i) => expect(Math.abs(summed[i] - g)).toBeLessThan(1e-4 * (1 + Math.abs(g))));
      const own = await pseudo.perPathGains[l].slice([0, 0], [1, -1]).data();
      const single = await alone.grads[2 * L + l].data();
      expect(Math.max(...single.map(Math.abs))).toBeGreaterThan(1e-6);
      single.forEach((g, i) => expect(Math.abs(own[i] - g)).toBeLessThan(1e-4 * (1 + Math.abs(g))));
    }
    for (const x of [pseudo, alone]) tf.dispose([...x.grads, ...x.gradientFactors, ...x.perPath, ...x.perPathGains]);
    tf.dispose(first.owned);
    net.dispose();
    dispose();
  });

  it('preconditions each block by the dense damped EKFAC matrix (Q_A x Q_G) diag(D) (Q_A x Q_G)^T and steps within the trust region', async () => {
    const { p, dispose } = await tinyProblem(5);
    const net = new RecurrentHedger(p.featureNames.length, 2, 1, 3, stream(5, 'init'));
    const settings = { gamma: 1000, ...PAPER002_KFAC, momentum: 0, shrinkage: 0.05, trustRegion: 1e-4 };
    const kfac = new DhKfac(net, settings, { noise: stream(1, 'z'), paths: stream(1, 'j'), probe: stream(1, 'k') });
    const before = await Promise.all(net.variables.map((v) => v.data()));
    const pass = batchPass(net, p, 1000, false);
    await kfac.step(p, 0, false);
    const pre = kfac.precondition(pass.grads);
    const { blocks } = kfac.curvature;
    let dot = 0;
    for (let k = 0; k < blocks.length; k++) {
      const { qa, qg, d } = blocks[k];
      const [rows, cols] = d.shape;
      const K = kron((await qa.data()) as Float32Array, rows, (await qg.data()) as Float32Array, cols);
      const damped = await shrunk(d, settings.shrinkage).data();
      const N = rows * cols;
      const B = new Float64Array(N * N);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let m = 0; m < N; m++) B[i * N + j] += K[i * N + m] * damped[m] * K[j * N + m];
      const g = Float64Array.from(await tf.concat([pass.grads[2 * k], pass.grads[2 * k + 1].reshape([1, -1])], 0).data());
      const x = solve(B, g);
      const got = await tf.concat([pre[2 * k], pre[2 * k + 1].reshape([1, -1])], 0).data();
      const scale = Math.max(...x.map(Math.abs));
      x.forEach((xi, i) => expect(Math.abs(got[i] - xi)).toBeLessThan(2e-3 * scale));
      dot += x.reduce((s, xi, i) => s + xi * g[i], 0);
    }
    for (let l = 0; l < net.gains.length; l++) {
      const gi = pass.grads[2 * blocks.length + l];
      dot += (await tf.sum(tf.mul(pre[2 * blocks.length + l], gi)).data())[0];
    }
    // Lines 20 and 23 without momentum: theta moves by -eta P, eta = min(sqrt(rho_TR / <P, grad>), eta_max).
    const eta = Math.min(Math.sqrt(settings.trustRegion / dot), settings.maxStepSize);
    const after = await Promise.all(net.variables.map((v) => v.data()));
    for (let v = 0; v < after.length; v++) {
      const step = await pre[v].data();
      after[v].forEach((x, i) => expect(Math.abs(x - (before[v][i] - eta * step[i]))).toBeLessThan(1e-5 * (1 + Math.abs(x))));
    }
    tf.dispose([pass.loss, ...pass.grads, ...pre]);
    kfac.dispose();
    net.dispose();
    dispose();
  });

  it('measures kappa = s^T B s / s^T B^ s of the step taken, B from the probe paths’ own pseudo-gradients, B^ the dense damped EKFAC matrix', async () => {
    const { p, dispose } = await tinyProblem(6);
    const net = new RecurrentHedger(p.featureNames.length, 2, 1, 3, stream(5, 'init'));
    const settings = { gamma: 1000, ...PAPER002_KFAC, shrinkage: 0.05, trustRegion: 1e-4 };
    const kfac = new DhKfac(net, settings, { noise: stream(1, 'z'), paths: stream(1, 'j'), probe: stream(1, 'k') });
    // B's paths (all six: fewer than 64) with the probe's Z at the weights before the step.
    const probe = pseudoGradient(net, p, settings.gamma, settings.costCurvature, stream(1, 'k'), 0);
    const before = await Promise.all(net.variables.map((v) => v.data()));
    const { kappa } = await kfac.step(p, 0, true);
    const after = await Promise.all(net.variables.map((v) => v.data()));
    const step = before.map((b, v) => Float64Array.from(b, (x, i) => x - after[v][i]));
    const { blocks, gains } = kfac.curvature;
    expect(kappa!.map((k) => k.block)).toEqual([...net.layers.map((l) => l.name), 'gains']);
    const m = 6;
    for (let k = 0; k < blocks.length; k++) {
      const [rows, cols] = blocks[k].d.shape;
      const s = Float64Array.from([...step[2 * k], ...step[2 * k + 1]]); // [W; b] row-major
      const perPath = await probe.perPath[k].data();
      let exact = 0;
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let i = 0; i < rows * cols; i++) dot += perPath[j * rows * cols + i] * s[i];
        exact += (dot * dot) / m;
      }
      const K = kron((await blocks[k].qa.data()) as Float32Array, rows, (await blocks[k].qg.data()) as Float32Array, cols);
      const damped = await shrunk(blocks[k].d, settings.shrinkage).data();
      let approx = 0;
      for (let c = 0; c < rows * cols; c++) {
        let rotated = 0;
        for (let i = 0; i < rows * cols; i++) rotated += K[i * rows * cols + c] * s[i];
        approx += rotated * rotated * damped[c];
      }
      expect(kappa![k].kappa).toBeGreaterThan(0);
      expect(Math.abs(kappa![k].kappa! - exact / approx)).toBeLessThan(1e-3 * (exact / approx));
    }
    const sg = step[2 * blocks.length];
    const perGain = await probe.perPathGains[0].data();
    let exact = 0;
    for (let j = 0; j < m; j++) {
      const dot = sg.reduce((a, x, i) => a + x * perGain[j * sg.length + i], 0);
      exact += (dot * dot) / m;
    }
    const dg = await shrunk(gains[0], settings.shrinkage).data();
    const approx = sg.reduce((a, x, i) => a + x * x * dg[i], 0);
    expect(Math.abs(kappa!.at(-1)!.kappa! - exact / approx)).toBeLessThan(1e-3 * (exact / approx));
    tf.dispose([...probe.grads, ...probe.gradientFactors, ...probe.perPath, ...probe.perPathGains]);
    kfac.dispose();
    net.dispose();
    dispose();
  });
});

describe('the curvature schedule', () => {
  it('updates A, G and D every iteration and the eigenbases every early N_evd over the early iterations, then the paper’s N_cov and N_evd', () => {
    const s = { covarianceEvery: 5, eigenEvery: 25, earlyIterations: 12, earlyEigenEvery: 4 };
    const covariance = Array.from({ length: 60 }, (_, i) => i).filter((i) => curvatureSchedule(s, i).covariance);
    const eigenbases = Array.from({ length: 60 }, (_, i) => i).filter((i) => curvatureSchedule(s, i).eigenbases);
    expect(covariance).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(eigenbases).toEqual([0, 4, 8, 25, 50]);
    expect(Array.from({ length: 30 }, (_, i) => i).filter((i) => curvatureSchedule({ ...s, earlyIterations: 0 }, i).eigenbases)).toEqual([0, 25]);
  });

  it('averages with Adam’s bias correction: the k-th average is sum_i beta^(k-i) (1 - beta) x_i / (1 - beta^k)', () => {
    const beta = 0.95;
    const xs = [3, -1, 4, 1, -5, 9, 2, 6];
    let m = 100; // the initial value, replaced by the first estimate
    xs.forEach((x, i) => {
      const k = i + 1;
      const w = biasCorrectedWeight(beta, k);
      m = w * m + (1 - w) * x;
      const corrected = xs.slice(0, k).reduce((a, xj, j) => a + beta ** (k - 1 - j) * (1 - beta) * xj, 0) / (1 - beta ** k);
      expect(m).toBeCloseTo(corrected, 10);
    });
    expect(biasCorrectedWeight(beta, 1)).toBe(0);
    expect(biasCorrectedWeight(beta, 2)).toBeCloseTo(beta / (1 + beta), 12);
    expect(biasCorrectedWeight(beta, 2000)).toBeCloseTo(beta, 12);
    expect(biasCorrectedWeight(0, 3)).toBe(0);
  });

  it('gives kappa whatever the length of the step, even where its squares fall below float32, and null for no step', async () => {
    const { p, dispose } = await tinyProblem(6);
    const kappaAt = async (trustRegion: number) => {
      const net = new RecurrentHedger(p.featureNames.length, 2, 1, 3, stream(5, 'init'));
      const kfac = new DhKfac(net, { gamma: 1000, ...PAPER002_KFAC, trustRegion }, { noise: stream(1, 'z'), paths: stream(1, 'j'), probe: stream(1, 'k') });
      const { kappa } = await kfac.step(p, 0, true);
      kfac.dispose();
      net.dispose();
      return kappa!.map((k) => k.kappa);
    };
    // Without momentum the first step is eta P: only eta depends on the trust region, and kappa not at all.
    const [usual, tiny, none] = [await kappaAt(1e-4), await kappaAt(1e-36), await kappaAt(0)];
    expect(usual.every((k) => k !== null && k > 0)).toBe(true);
    tiny.forEach((k, b) => expect(Math.abs(k! - usual[b]!)).toBeLessThan(1e-4 * usual[b]!));
    expect(none.every((k) => k === null)).toBe(true);
    dispose();
  });
});
