/** This browser's localStorage, or null where the page may not use it (private modes, storage disabled). */
export function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
