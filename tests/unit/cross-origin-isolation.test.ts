/**
 * The service worker's rewriting of responses (workers/cross-origin-isolation.ts): COOP and COEP set on
 * every response it can rebuild, everything else kept; an opaque or error response passed through.
 */
import { describe, expect, it } from 'vitest';
import { withIsolation } from '../../workers/cross-origin-isolation';

describe('withIsolation', () => {
  it('sets COOP and COEP, keeping the status, the other headers and the body', async () => {
    const original = new Response('<!doctype html>', {
      status: 203,
      statusText: 'Non-Authoritative',
      headers: { 'Content-Type': 'text/html', 'Cross-Origin-Embedder-Policy': 'unsafe-none', 'Content-Security-Policy': "default-src 'self'" },
    });
    const isolated = withIsolation(original);
    expect(isolated.status).toBe(203);
    expect(isolated.statusText).toBe('Non-Authoritative');
    expect(Object.fromEntries(isolated.headers)).toEqual({
      'content-type': 'text/html',
      'content-security-policy': "default-src 'self'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    expect(await isolated.text()).toBe('<!doctype html>');
  });

  it('isolates a binary body byte for byte, and an error status too', async () => {
    const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const isolated = withIsolation(new Response(wasm, { headers: { 'Content-Type': 'application/wasm' } }));
    expect(new Uint8Array(await isolated.arrayBuffer())).toEqual(wasm);
    expect(isolated.headers.get('Content-Type')).toBe('application/wasm');
    const missing = withIsolation(new Response(null, { status: 404 }));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('passes a response of status 0 through untouched', () => {
    const opaque = Response.error();
    expect(withIsolation(opaque)).toBe(opaque);
  });
});
