/**
 * Reading a counter-based random stream (random/stream.ts) in order, for the off-policy agents of paper 000
 * §4.4: each call takes the stream's next draws, so an agent's exploration noise, replay sampling and policy
 * noise are each one reproducible sequence of a stream of their own, on every backend.
 */
import { RandomStream } from '../random/stream';

export class StreamCursor {
  private drawn = 0;

  constructor(readonly stream: RandomStream) {}

  /** The next `count` standard normals. */
  normals(count: number): Float32Array {
    const out = this.stream.normals(new Float32Array(count), this.drawn);
    this.drawn += count;
    return out;
  }

  /** The next `count` uniforms on (0, 1). */
  uniforms(count: number): Float64Array {
    const out = this.stream.uniforms(new Float64Array(count), this.drawn);
    this.drawn += count;
    return out;
  }
}

