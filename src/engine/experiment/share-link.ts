/**
 * Share links: the whole experiment (or, through packLinkValue, a lesson: lessons/lesson-link.ts), JSON-encoded and lz-string compressed into the URL fragment
 * (`#x=...`), like TensorFlow Playground's URL that *is* the experiment. Decoding never evaluates anything:
 * the text is size-checked, decompressed, JSON-parsed and validated by the schema, and every failure says why.
 *
 * Integrity: a link made here is `#x=` + CHECKED_TAG + a 6-character checksum + the payload, the checksum
 * being the 32-bit FNV-1a hash of the payload (Fowler, Noll and Vo) in lz-string's URI alphabet. FNV-1a
 * detects every single-character substitution (each step, xor with a byte then multiply by an odd prime, is a
 * bijection mod 2^32, so one changed byte changes every later state), so an edited or cut-short link is
 * refused rather than decoded into another experiment. Links made before the checksum (their payload starts
 * with 'N', lz-string's first character for a JSON object) still open, marked unverified.
 */
import LZString from 'lz-string';
import { parseExperiment, type Experiment } from './schema';

export const LINK_PARAM = 'x';
/** Encoded fragments longer than this are refused before any decompression. */
export const MAX_LINK_CHARS = 8_000;
/** Decompressed JSON longer than this is refused (guards against compression bombs). */
export const MAX_JSON_CHARS = 32_000;

/** The first character of a checked link's value; an unchecked (older) link never starts with it. */
export const CHECKED_TAG = 'C';
/** lz-string's compressToEncodedURIComponent alphabet; its first 64 characters carry 6 bits each. */
export const URI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const CHECKSUM_CHARS = 6;

/** `unverified`: the link predates checksums, so an edit to it cannot be told from its sender's intent. */
export type DecodeResult = { ok: true; value: Experiment; unverified?: true } | { ok: false; error: string };

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (a payload is ASCII). */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The payload's checksum: its hash in six URI-alphabet characters, most significant first. */
export function linkChecksum(payload: string): string {
  let h = fnv1a32(payload);
  let out = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = URI_ALPHABET[h & 63] + out;
    h = Math.floor(h / 64);
  }
  return out;
}

/** A value packed for a link: JSON, lz-string compressed, behind CHECKED_TAG and its checksum. */
export function packLinkValue(data: unknown): string {
  const payload = LZString.compressToEncodedURIComponent(JSON.stringify(data));
  return `${CHECKED_TAG}${linkChecksum(payload)}${payload}`;
}

export type UnpackResult = { ok: true; data: unknown; unverified?: true } | { ok: false; error: string };

/**
 * The JSON a link value carries (packLinkValue's inverse), size-checked, verified against its checksum
 * (a value without CHECKED_TAG opens unverified), decompressed and parsed; `what` names it in messages.
 */
export function unpackLinkValue(value: string, what: string): UnpackResult {
  if (value.length === 0) return { ok: false, error: `the link carries an empty ${what}` };
  if (value.length > MAX_LINK_CHARS) {
    return { ok: false, error: `the link is too long (${value.length} characters, at most ${MAX_LINK_CHARS})` };
  }
  if (!/^[A-Za-z0-9+\-$]*$/.test(value)) {
    return { ok: false, error: 'the link is corrupted: it holds characters a HedgeLab link never has' };
  }
  const checked = value.startsWith(CHECKED_TAG);
  const payload = checked ? value.slice(1 + CHECKSUM_CHARS) : value;
  if (checked && value.slice(1, 1 + CHECKSUM_CHARS) !== linkChecksum(payload)) {
    return { ok: false, error: 'the link is corrupted: its checksum does not match its content (it was edited or cut short)' };
  }
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(payload);
  } catch {
    json = null;
  }
  if (!json) return { ok: false, error: 'the link is corrupted: it does not decompress' };
  if (json.length > MAX_JSON_CHARS) return { ok: false, error: `the link expands to more than ${MAX_JSON_CHARS} characters` };
  try {
    const data: unknown = JSON.parse(json);
    return checked ? { ok: true, data } : { ok: true, data, unverified: true };
  } catch {
    return { ok: false, error: 'the link is corrupted: its content is not valid JSON' };
  }
}

export function encodeExperiment(cfg: Experiment): string {
  return packLinkValue(cfg);
}

/** The URL fragment (without '#') that carries the experiment. */
export function experimentFragment(cfg: Experiment): string {
  return `${LINK_PARAM}=${encodeExperiment(cfg)}`;
}

/** Decodes the payload of a link: the value of `x=`, a fragment `#x=...`, or a full URL. */
export function decodeExperiment(link: string): DecodeResult {
  const value = extractPayload(link.trim());
  if (value === null) return { ok: false, error: `the link carries no experiment (expected "#${LINK_PARAM}=...")` };
  const unpacked = unpackLinkValue(value, 'experiment');
  if (!unpacked.ok) return unpacked;
  const r = parseExperiment(unpacked.data);
  if (!r.ok) return { ok: false, error: `the link's experiment is invalid: ${r.errors.slice(0, 3).join('; ')}` };
  return unpacked.unverified ? { ok: true, value: r.value, unverified: true } : { ok: true, value: r.value };
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
