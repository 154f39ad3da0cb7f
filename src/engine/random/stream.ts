/**
 * Named random streams over Philox4x32-10 (philox.ts): uniforms on (0, 1) and standard normals by the
 * Box-Muller transform. Draw i of a stream is a function of (seed, name, i) only, so a component can read
 * any range of its stream, and every component (market paths, network initialisation, mini-batch order)
 * has a stream of its own.
 */
import { philox4x32, streamKey } from './philox';

const TWO_POW_M32 = 2 ** -32;

export class RandomStream {
  readonly name: string;
  private readonly k0: number;
  private readonly k1: number;
  private readonly block = new Uint32Array(4);

  constructor(seed: number, name: string) {
    this.name = name;
    [this.k0, this.k1] = streamKey(seed, name);
  }

  /** The four raw uint32 words of block `index` (counter = index as a 64-bit integer). */
  private words(index: number): Uint32Array {
    philox4x32(index >>> 0, Math.floor(index / 4294967296) >>> 0, 0, 0, this.k0, this.k1, this.block);
    return this.block;
  }

  /** Fills `out` with uniforms on (0, 1): draws start .. start + out.length - 1 of the stream. */
  uniforms<T extends Float64Array | Float32Array>(out: T, start = 0): T {
    for (let i = 0; i < out.length; ) {
      const draw = start + i;
      const w = this.words(Math.floor(draw / 4));
      for (let j = draw % 4; j < 4 && i < out.length; j++, i++) out[i] = (w[j] + 0.5) * TWO_POW_M32;
    }
    return out;
  }

  /**
   * Fills `out` with standard normals: draws start .. start + out.length - 1. Normal 2m and 2m + 1 come from
   * uniforms 2m and 2m + 1 by Box-Muller, so any range is reproducible on its own.
   */
  normals<T extends Float64Array | Float32Array>(out: T, start = 0): T {
    const first = start - (start % 2);
    const u = new Float64Array(start + out.length - first + 1 + ((start + out.length - first + 1) % 2));
    this.uniforms(u, first);
    for (let i = 0; i < out.length; i++) {
      const d = start + i - first;
      const pair = d - (d % 2);
      const r = Math.sqrt(-2 * Math.log(u[pair]));
      const theta = 2 * Math.PI * u[pair + 1];
      out[i] = d % 2 === 0 ? r * Math.cos(theta) : r * Math.sin(theta);
    }
    return out;
  }
}

/** The stream named by joining `parts` with '/', e.g. stream(seed, 'market', 'train', epoch). */
export function stream(seed: number, ...parts: (string | number)[]): RandomStream {
  return new RandomStream(seed, parts.join('/'));
}

/** A stream of its own for one part of a component: seeded by the parent's first draw, named after both. */
export function childStream(parent: RandomStream, part: string): RandomStream {
  const [u] = parent.uniforms(new Float64Array(1), 0);
  return new RandomStream(Math.floor(u * 2 ** 32), `${parent.name}/${part}`);
}
