/** Whether the page is at phone width (the same width as the phone rules in styles.css), following resizes. */
import { useSyncExternalStore } from 'react';

export const PHONE_WIDTH = '(max-width: 720px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(PHONE_WIDTH);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export const usePhoneWidth = (): boolean => useSyncExternalStore(subscribe, () => window.matchMedia(PHONE_WIDTH).matches);
