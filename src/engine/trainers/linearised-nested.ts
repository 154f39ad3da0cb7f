/**
 * DHLNN training: the nested optimisation with a linearised objective of paper 001 §4.1 (Algorithm 1) for
 * the anchor band network (§4.2, eq. 16-17; policies/band-network.ts with identity widths).
 *
 * Outer iteration r, on a batch of paths:
 *   1. forward pass at w^r: band widths f(x_t, w^r) for every date, the band delta_bs -+ f and the clamped
 *      positions delta^r; V^r, the exact P&L with absolute costs (eq. 11), and the loss rho(V^r);
 *   2. rho'(V^r), the risk measure's derivative with respect to each path's P&L (by autodiff of the loss);
 *   3. the true gradient g^r = sum_i rho'_i grad_w V_i at w^r (eq. 12), one product with J^T, which updates
 *      Adam's second-moment estimate v (beta2 = 0.999, eps = 1e-8, bias-corrected; paper 001 §5.1 uses Adam
 *      in the outer iterations and keeps its adjusted gradient fixed in the inner ones: we read this as a
 *      diagonal preconditioner D = 1 / (sqrt(v^) + eps) frozen during the inner loop; `precondition: 'none'`
 *      gives the plain update of eq. 15).
 * Inner iterations j = 0 .. N - 1 from w^0 = w^r, with everything at w^r held fixed (eq. 13-15):
 *   delta^(w) = delta^r + L J (w - w^r)      linearised positions (eq. 9 through the clamp with its cases fixed,
 *                                            hedging/no-transaction-band.ts LinearisedClamp)
 *   V^_i(w)   = -Z_i + premium + sum_t delta^_t (S_{t+1} - S_t) - c sum_t S_t (delta^_t - delta^_{t-1})^2
 *                                            (eq. 13: the smoothed quadratic cost; + c S_T delta^_{T-1}^2 when
 *                                            the position is closed at maturity)
 *   w^{j+1}   = w^j - eta D (sum_i rho'_i(V^r) grad_w V^_i(w^j))     (eq. 14-15)
 *   stop when ||w^{j+1} - w^j|| < eps; then w^{r+1} = the last w^{j+1}.
 * The inner objective sum_i rho'_i V^_i(w) is a quadratic in w; its gradient is J^T L^T u with
 * u = d/d delta^ [sum_i rho'_i V^_i] (an affine function of delta^ on [n, T], by autodiff).
 *
 * Cost: J is never formed (policies/linearised-mlp.ts): each inner iteration is one Jacobian-vector product
 * by forward mode and one vector-Jacobian product by reverse mode over activations cached at w^r, about one
 * backpropagation's flops, plus O(T) elementwise work for the clamp, and one scalar read back (the step
 * norm, for the stopping test). An outer iteration adds one forward pass and one VJP. For expected
 * shortfall the OCE threshold is updated once per outer iteration by its own Adam step.
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import { LinearisedClamp } from '../hedging/no-transaction-band';
import { hedgingPnl } from '../hedging/pnl';
import { problemTensors, type HedgingProblem } from '../hedging/problem';
import { blackScholesDelta } from '../hedging/black-scholes-delta';
import type { HoldingInstrument } from '../hedging/instruments';
import { BandNetwork } from '../policies/band-network';
import { LinearisedMlp } from '../policies/linearised-mlp';
import { riskLoss } from '../risk/measure';
import type { Risk } from '../experiment/schema';
import type { Optimiser } from './adam-pathwise';

export interface NestedLinearisedSpec {
  /** The anchor band network (identity widths). */
  net: BandNetwork;
  /** The hedging problem of a batch of packed paths; its tensors are disposed after the step. */
  problem(batch: tf.Tensor2D): HedgingProblem;
  risk: Risk;
  /** The OCE threshold of expected shortfall, trained alongside. */
  threshold?: tf.Variable<tf.Rank.R0>;
  /** eta. */
  learningRate: number;
  /** N, the most inner iterations per outer one. */
  innerSteps: number;
  /** eps: the inner loop stops once ||w^{j+1} - w^j|| < eps. */
  tolerance: number;
  precondition: 'adam' | 'none';
}

const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/**
 * Terminal P&L of the problem's short claim hedged in the underlying with positions [n, T], with the
 * smoothed quadratic cost c S_t (delta_t - delta_{t-1})^2 of paper 001 eq. 13 in place of c S_t |.|.
 */
export function smoothedCostPnl(p: HedgingProblem, positions: tf.Tensor2D): tf.Tensor1D {
  const asset = p.instruments[0] as HoldingInstrument;
  return tf.tidy(() => {
    const [n, steps] = positions.shape;
    const x = tf.mul(positions, asset.available);
    const gains = tf.sum(tf.mul(x, tf.sub(asset.price.slice([0, 1], [n, steps]), asset.price.slice([0, 0], [n, steps]))), 1);
    const previous = tf.concat([tf.zeros([n, 1]), x.slice([0, 0], [n, steps - 1])], 1);
    let traded = tf.square(tf.sub(x, previous));
    let basis = asset.costBasis.slice([0, 0], [n, steps]);
    if (asset.unwindAtMaturity) {
      traded = tf.concat([traded, tf.square(x.slice([0, steps - 1], [n, 1]))], 1);
      basis = asset.costBasis;
    }
    const cost = tf.mul(tf.sum(tf.mul(traded, basis), 1), asset.costRate);
    return tf.sub(tf.sub(tf.add(gains, p.premiums), cost), p.payoff) as tf.Tensor1D;
  });
}

/** The linearised anchor band at w^r on one batch: positions, and products with their Jacobian in w. */
class LinearisedAnchorBand {
  readonly mlp: LinearisedMlp;
  readonly clamp: LinearisedClamp;

  constructor(net: BandNetwork, p: HedgingProblem) {
    const rows = BandNetwork.rows(p);
    this.mlp = new LinearisedMlp(net.mlp, rows);
    rows.dispose();
    const { lower, upper } = tf.tidy(() => net.band(blackScholesDelta(p), this.mlp.outputs));
    this.clamp = new LinearisedClamp(lower, upper);
    tf.dispose([lower, upper]);
  }

  get positions(): tf.Tensor2D {
    return this.clamp.positions;
  }

  /** d positions [n, T] for a parameter change d (identity widths: d lower = -d f1, d upper = d f2). */
  jvp(d: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => {
      const [n, steps] = this.positions.shape;
      const df = this.mlp.jvp(d);
      const [df1, df2] = tf.unstack(tf.transpose(df.reshape([steps, n, 2]), [2, 1, 0])) as tf.Tensor2D[];
      return this.clamp.tangent(tf.neg(df1), df2);
    });
  }

  /** J^T g for a cotangent g [n, T] on the positions. */
  vjp(g: tf.Tensor2D): tf.Tensor[] {
    return tf.tidy(() => {
      const [n, steps] = this.positions.shape;
      const { lower, upper } = this.clamp.adjoint(g);
      // [n, T] x 2 -> [T n, 2], rows date-major as BandNetwork.rows
      const gf = tf.transpose(tf.stack([tf.neg(lower), upper]), [2, 1, 0]).reshape([steps * n, 2]) as tf.Tensor2D;
      return this.mlp.vjp(gf);
    });
  }

  dispose(): void {
    this.mlp.dispose();
    this.clamp.dispose();
  }
}

/** sum_i weights_i pnl_i(positions) and its cotangent on the positions, at `positions`. */
function weightedPnl(pnl: (positions: tf.Tensor2D) => tf.Tensor1D, weights: tf.Tensor1D, positions: tf.Tensor2D): { value: tf.Scalar; grad: tf.Tensor2D } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => tf.sum(tf.mul(weights, pnl(x as tf.Tensor2D))) as tf.Scalar)(positions);
    return { value, grad: grad as tf.Tensor2D };
  });
}

export class NestedLinearisedOptimiser implements Optimiser {
  /** Adam's second-moment estimate per parameter, and its step count. */
  private readonly secondMoment: tf.Tensor[];
  private outerSteps = 0;
  private readonly thresholdAdam: tf.Optimizer | null;
  /**
   * The linearised objective sum_i rho'_i(V^r) V^_i at each inner iterate w^0, w^1, ... of the last outer
   * iteration (before each update); its length is the number of inner iterations taken.
   */
  lastInnerObjectives: number[] = [];

  constructor(private readonly spec: NestedLinearisedSpec) {
    if (spec.net.width !== 'identity') throw new Error('DHLNN linearises the anchor band, whose widths are the raw network outputs');
    this.secondMoment = spec.net.variables.map((v) => tf.zerosLike(v));
    this.thresholdAdam = spec.threshold ? tf.train.adam(spec.learningRate) : null;
  }

  async step(batch: tf.Tensor2D): Promise<number> {
    const { spec } = this;
    const variables = spec.net.variables;
    const p = spec.problem(batch);
    let band: LinearisedAnchorBand | null = null;
    let iterate: tf.Tensor[] = [];
    const owned: tf.Tensor[] = [];
    try {
      band = new LinearisedAnchorBand(spec.net, p);
      const anchor = band;
      const exactPnl = (x: tf.Tensor2D) => hedgingPnl(p, [x, ...p.instruments.slice(1).map(() => tf.zerosLike(x))]).pnl;
      const [loss, rhoPrime] = tf.tidy(() => {
        const pnl = exactPnl(anchor.positions);
        const { value, grad } = tf.valueAndGrad((v: tf.Tensor1D) => riskLoss(spec.risk, v, spec.threshold))(pnl);
        return [value, grad as tf.Tensor1D];
      });
      owned.push(loss, rhoPrime);
      if (spec.threshold && this.thresholdAdam) {
        const threshold = spec.threshold;
        const pnl = tf.tidy(() => exactPnl(anchor.positions));
        const g = tf.variableGrads(() => riskLoss(spec.risk, pnl, threshold), [threshold]);
        this.thresholdAdam.applyGradients(g.grads);
        tf.dispose([pnl, g.value, ...Object.values(g.grads)]);
      }

      // The true gradient at w^r (eq. 12) feeds Adam's second moment: D = 1 / (sqrt(v^) + eps).
      this.outerSteps++;
      const scale = tf.tidy(() => {
        const trueGrad = anchor.vjp(weightedPnl(exactPnl, rhoPrime, anchor.positions).grad);
        return trueGrad.map((g, k) => {
          const v = tf.add(tf.mul(this.secondMoment[k], BETA2), tf.mul(tf.square(g), 1 - BETA2));
          this.secondMoment[k].dispose();
          this.secondMoment[k] = tf.keep(v);
          return spec.precondition === 'adam' ? tf.div(spec.learningRate, tf.add(tf.sqrt(tf.div(v, 1 - BETA2 ** this.outerSteps)), ADAM_EPS)) : tf.scalar(spec.learningRate);
        });
      });
      owned.push(...scale);

      // Inner iterations on the linearised objective (eq. 13-15).
      iterate = variables.map((v) => tf.clone(v));
      const objectives: number[] = [];
      for (let j = 0; j < spec.innerSteps; j++) {
        const [next, readout] = tf.tidy(() => {
          const moved = anchor.jvp(iterate.map((w, k) => tf.sub(w, variables[k])));
          const positions = tf.add(anchor.positions, moved) as tf.Tensor2D;
          const { value, grad } = weightedPnl((x) => smoothedCostPnl(p, x), rhoPrime, positions);
          const steps = anchor.vjp(grad).map((gk, k) => tf.mul(scale[k], gk));
          const size = tf.sqrt(addAll(steps.map((s) => tf.sum(tf.square(s)))));
          return [iterate.map((w, k) => tf.sub(w, steps[k])), tf.stack([value, size])] as [tf.Tensor[], tf.Tensor1D];
        });
        tf.dispose(iterate);
        iterate = next;
        const [objective, size] = await readout.data();
        readout.dispose();
        objectives.push(objective);
        if (!(size >= spec.tolerance)) break;
      }
      this.lastInnerObjectives = objectives;
      variables.forEach((v, k) => v.assign(iterate[k]));
      const [value] = await loss.data();
      return value;
    } finally {
      tf.dispose(owned);
      tf.dispose(iterate);
      band?.dispose();
      tf.dispose(problemTensors(p));
    }
  }

  dispose(): void {
    tf.dispose(this.secondMoment);
    this.thresholdAdam?.dispose();
  }
}
