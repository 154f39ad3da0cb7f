/**
 * Cross-origin isolation (COOP + COEP), which the WASM backend's threads need (SharedArrayBuffer): the
 * headers that make a page isolated, sent by the dev and preview servers and asked of hosts (vite.config.ts),
 * and added by the service worker (service-worker.ts) to every response it gives the page, so that the
 * page is isolated on a static host that sends no headers, as gzuidhof/coi-serviceworker made it before.
 * No Cross-Origin-Resource-Policy is added: the service worker only answers the lab's own pages, whose
 * policy lets them load same-origin resources only, and those need none under require-corp.
 */

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The response with the isolation headers set, its status, status text and body unchanged. An opaque
 * response (status 0: a cross-origin request without CORS) cannot be rebuilt and is returned as it is.
 */
export function withIsolation(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
