/**
 * BC-RPPO's actor and critic (paper 000 §3.3.2). The actor reads the last k states s_{t-k+1..t} stacked
 * (frame stacking) through a GRU (Cho et al. 2014) run over those k frames, oldest first:
 *   z = sigmoid(x W_z + h U_z + b_z),  r = sigmoid(x W_r + h U_r + b_r),
 *   h~ = tanh(x W_h + r * (h U_h) + b_h),  h' = (1 - z) * h~ + z * h = h~ + z * (h - h~),     h_0 = 0,
 * then an MLP head (network.layers x units, ReLU) from the last hidden state to (mu, raw log-std), with a
 * residual connection of the latest state s_t to the output: mu = head_mu(h_k) + s_t w_res, so that the
 * current state reaches the action past the recurrence. The std is the state's, sigma(s) of eq. 27, bounded
 * as gaussian-policy.ts says. With `gru: false` (the "without RNN" ablation of §4.6) the head reads the k
 * stacked frames flattened, the residual kept. The critic (our design; the paper does not give one) is an
 * MLP of network.layers x units on the flattened frames, separate from the actor as Algorithm 2's theta_2.
 * The mean starts at the middle of the bounds with the head's output scaled by 0.01, the residual at 0, the
 * std at INITIAL_STD. The GRU is written from tfjs ops (differentiable, every step inside the caller's tidy).
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../policies/mlp';
import { INITIAL_STD, initialiseHead, type AgentStreams, type GaussianActorCritic } from './actor-critic';
import { boundedLogStd, rawLogStd } from './gaussian-policy';

export interface RecurrentActorOptions {
  stateSize: number;
  frames: number;
  /** false: the "without RNN" ablation. */
  gru: boolean;
  gruUnits: number;
  layers: number;
  units: number;
  /** The initial mean action (the middle of the position bounds). */
  centre: number;
}

/** Weights [rows, cols] uniform on (-bound, bound) from uniforms on (0, 1) (PyTorch's GRU: bound 1/sqrt(H)). */
function uniformVariable(rows: number, cols: number, bound: number, values: Float32Array): tf.Variable<tf.Rank.R2> {
  return tf.tidy(() => tf.variable(tf.tensor2d(values.map((u) => (2 * u - 1) * bound), [rows, cols])));
}

export class RecurrentActorCritic implements GaussianActorCritic {
  readonly frames: number;
  readonly stateSize: number;
  /** Input and recurrent weights and biases of the update gate z, the reset gate r and the candidate h~. */
  private readonly gru: { w: tf.Variable<tf.Rank.R2>[]; u: tf.Variable<tf.Rank.R2>[]; b: tf.Variable<tf.Rank.R1>[] } | null;
  private readonly head: Mlp;
  private readonly residual: tf.Variable<tf.Rank.R2>;
  private readonly critic: Mlp;

  constructor(private readonly o: RecurrentActorOptions, streams: AgentStreams) {
    this.frames = o.frames;
    this.stateSize = o.stateSize;
    const h = o.gruUnits;
    if (o.gru) {
      const rng = streams('init', 'gru');
      const bound = 1 / Math.sqrt(h);
      let drawn = 0;
      const draw = (rows: number) => {
        const u = rng.uniforms(new Float32Array(rows * h), drawn);
        drawn += u.length;
        return uniformVariable(rows, h, bound, u);
      };
      const w = [0, 1, 2].map(() => draw(o.stateSize));
      const u = [0, 1, 2].map(() => draw(h));
      this.gru = { w, u, b: [0, 1, 2].map(() => tf.tidy(() => tf.variable(tf.zeros([h])))) };
    } else {
      this.gru = null;
    }
    this.head = new Mlp(o.gru ? h : o.frames * o.stateSize, o.layers, o.units, 2, streams('init', 'actor'));
    initialiseHead(this.head, 0.01, [o.centre, rawLogStd(INITIAL_STD)]);
    this.residual = tf.tidy(() => tf.variable(tf.zeros([o.stateSize, 1])));
    this.critic = new Mlp(o.frames * o.stateSize, o.layers, o.units, 1, streams('init', 'critic'));
  }

  get actorVariables(): tf.Variable[] {
    return [...(this.gru ? [...this.gru.w, ...this.gru.u, ...this.gru.b] : []), ...this.head.variables, this.residual];
  }

  get criticVariables(): tf.Variable[] {
    return this.critic.variables;
  }

  /**
   * The GRU's last hidden state [m, H] over the frames [k, m, S] (date-major, so that a frame is a
   * contiguous slice; one product per gate for all frames' inputs, no split of a gate-stacked matrix).
   */
  private recur(frames: tf.Tensor3D): tf.Tensor2D {
    const { w, u, b } = this.gru!;
    const [k, m, s] = frames.shape;
    const units = this.o.gruUnits;
    const flat = frames.reshape([k * m, s]);
    const [xz, xr, xh] = w.map((wg, g) => tf.add(tf.matMul(flat, wg), b[g]).reshape([k, m, units]));
    const frame = (x: tf.Tensor, j: number) => x.slice([j, 0, 0], [1, m, units]).reshape([m, units]);
    let h: tf.Tensor2D = tf.zeros([m, units]);
    for (let j = 0; j < k; j++) {
      const z = tf.sigmoid(tf.add(frame(xz, j), tf.matMul(h, u[0])));
      const r = tf.sigmoid(tf.add(frame(xr, j), tf.matMul(h, u[1])));
      const candidate = tf.tanh(tf.add(frame(xh, j), tf.mul(r, tf.matMul(h, u[2]))));
      h = tf.add(candidate, tf.mul(z, tf.sub(h, candidate))) as tf.Tensor2D;
    }
    return h;
  }

  policy(inputs: tf.Tensor3D): { mean: tf.Tensor1D; logStd: tf.Tensor1D } {
    return tf.tidy(() => {
      const [m, k, s] = inputs.shape;
      const frames = tf.transpose(inputs, [1, 0, 2]) as tf.Tensor3D;
      const features = this.gru ? this.recur(frames) : (inputs.reshape([m, k * s]) as tf.Tensor2D);
      const out = this.head.apply(features);
      const latest = frames.slice([k - 1, 0, 0], [1, m, s]).reshape([m, s]) as tf.Tensor2D;
      const [mu, rawStd] = tf.unstack(out, 1) as tf.Tensor1D[];
      const mean = tf.add(mu, tf.matMul(latest, this.residual).reshape([m])) as tf.Tensor1D;
      return { mean, logStd: boundedLogStd(rawStd) as tf.Tensor1D };
    });
  }

  value(inputs: tf.Tensor3D): tf.Tensor1D {
    return tf.tidy(() => {
      const [m, k, s] = inputs.shape;
      return this.critic.apply(inputs.reshape([m, k * s]) as tf.Tensor2D).reshape([m]) as tf.Tensor1D;
    });
  }

  dispose(): void {
    tf.dispose([...this.actorVariables, ...this.criticVariables]);
  }
}
