/**
 * Share links: the whole experiment, JSON-encoded and lz-string compressed into the URL fragment
 * (`#x=...`), like TensorFlow Playground's URL that *is* the experiment. Decoding never evaluates anything:
 * the text is size-checked, decompressed, JSON-parsed and validated by the schema, and every failure says why.
 */
import LZString from 'lz-string';
import { parseExperiment, type Experiment } from './schema';

export const LINK_PARAM = 'x';
/** Encoded fragments longer than this are refused before any decompression. */
export const MAX_LINK_CHARS = 8_000;
/** Decompressed JSON longer than this is refused (guards against compression bombs). */
export const MAX_JSON_CHARS = 32_000;

export type DecodeResult = { ok: true; value: Experiment } | { ok: false; error: string };

export function encodeExperiment(cfg: Experiment): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(cfg));
}

/** The URL fragment (without '#') that carries the experiment. */
export function experimentFragment(cfg: Experiment): string {
  return `${LINK_PARAM}=${encodeExperiment(cfg)}`;
}

/** Decodes the payload of a link: the value of `x=`, a fragment `#x=...`, or a full URL. */
export function decodeExperiment(link: string): DecodeResult {
  const payload = extractPayload(link.trim());
  if (payload === null) return { ok: false, error: `the link carries no experiment (expected "#${LINK_PARAM}=...")` };
  if (payload.length === 0) return { ok: false, error: 'the link carries an empty experiment' };
  if (payload.length > MAX_LINK_CHARS) {
    return { ok: false, error: `the link is too long (${payload.length} characters, at most ${MAX_LINK_CHARS})` };
  }
  if (!/^[A-Za-z0-9+\-$]*$/.test(payload)) {
    return { ok: false, error: 'the link is corrupted: it holds characters a HedgeLab link never has' };
  }
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(payload);
  } catch {
    json = null;
  }
  if (!json) return { ok: false, error: 'the link is corrupted: it does not decompress' };
  if (json.length > MAX_JSON_CHARS) return { ok: false, error: `the link expands to more than ${MAX_JSON_CHARS} characters` };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { ok: false, error: 'the link is corrupted: its content is not valid JSON' };
  }
  const r = parseExperiment(data);
  if (!r.ok) return { ok: false, error: `the link's experiment is invalid: ${r.errors.slice(0, 3).join('; ')}` };
  return { ok: true, value: r.value };
}

function extractPayload(link: string): string | null {
  const hash = link.indexOf('#');
  const fragment = hash >= 0 ? link.slice(hash + 1) : link;
  if (hash < 0 && !fragment.startsWith(`${LINK_PARAM}=`)) return fragment.includes('=') || fragment.includes('/') ? null : fragment;
  for (const part of fragment.split('&')) {
    if (part.startsWith(`${LINK_PARAM}=`)) return part.slice(LINK_PARAM.length + 1);
  }
  return null;
}
