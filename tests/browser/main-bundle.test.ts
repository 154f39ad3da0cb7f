/**
 * What the page's main thread downloads and runs, read from the served production build: the entry
 * script of index.html and every chunk it imports, statically or lazily. tfjs belongs to the lab worker
 * alone (workers/backends.ts): a UI import that drags it in costs every visitor a megabyte of script and a
 * long task before the form answers. Plotly is loaded lazily, from the partial bundle the charts need.
 */
import { describe, expect, inject, it } from 'vitest';

const baseUrl = inject('baseUrl');

/** A string of tfjs-core's environment (the `?tfjsflags=` URL parameter), present wherever tfjs is. */
const TFJS_MARKER = 'tfjsflags';

interface Chunk {
  path: string;
  /** Reached only through a dynamic import() on the way from the entry script. */
  lazy: boolean;
  bytes: number;
  text: string;
}

const fetchText = async (url: string) => {
  const response = await fetch(url);
  expect(response.ok, url).toBe(true);
  return response.text();
};

/** The entry script and the closure of its imports, each chunk once, marked lazy unless reached statically. */
async function mainThreadChunks(): Promise<Chunk[]> {
  const html = await fetchText(baseUrl);
  const entry = /<script type="module"[^>]* src="([^"]+)"/.exec(html)?.[1];
  expect(entry, 'index.html has a module entry script').toBeTruthy();
  const chunks = new Map<string, Chunk>();
  const visit = async (path: string, lazy: boolean): Promise<void> => {
    const seen = chunks.get(path);
    if (seen && (lazy || !seen.lazy)) return;
    const text = seen?.text ?? (await fetchText(new URL(path, baseUrl).href));
    chunks.set(path, { path, lazy, bytes: text.length, text });
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*(\(?)\s*["'`](\.\/[^"'`]+\.js)["'`]/g)];
    for (const [, paren, relative] of imports) await visit(dir + relative!.slice(2), lazy || paren === '(');
  };
  await visit(entry!, false);
  return [...chunks.values()];
}

describe('main-thread bundle', () => {
  it('holds no tfjs, and loads Plotly lazily from its cartesian bundle', async () => {
    const chunks = await mainThreadChunks();
    const summary = chunks.map(({ path, lazy, bytes }) => ({ path, lazy, bytes }));
    expect(chunks.filter((c) => c.text.includes(TFJS_MARKER)).map((c) => c.path)).toEqual([]);
    const plotly = chunks.filter((c) => c.path.includes('plotly'));
    expect(plotly.map((c) => c.path), JSON.stringify(summary)).toEqual([expect.stringMatching(/plotly-cartesian/)]);
    expect(plotly[0]!.lazy).toBe(true);
    // The entry and what it imports statically: React, zod, the form and the client, without tfjs or Plotly.
    const eager = chunks.filter((c) => !c.lazy);
    expect(eager.reduce((sum, c) => sum + c.bytes, 0), JSON.stringify(summary)).toBeLessThan(700_000);
  });
});
