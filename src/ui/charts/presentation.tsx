/**
 * The Present view: one chart for a projector, its card's title in large type above it, on a layer over the
 * whole page (a dialog on document.body) that also asks the browser for full screen, where it allows it
 * (the layer alone otherwise). Escape, leaving full screen, or Close end it; the chart inside keeps
 * following its run. Focus moves to Close on opening and back to `opener` once the layer is gone (while the
 * layer is full screen, the page behind it takes no focus).
 */
import { useEffect, useEffectEvent, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

export function Presentation({ title, opener, onClose, children }: { title: string; opener: RefObject<HTMLElement | null>; onClose: () => void; children: ReactNode }) {
  const layer = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  // The listeners below live as long as the layer; they call the latest onClose.
  const closing = useEffectEvent(onClose);

  useEffect(() => {
    const element = layer.current;
    const back = opener.current;
    close.current?.focus();
    let fullScreen = false;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      closing();
    };
    // The browser's own way out of full screen (Escape, its menu) ends the view too.
    const onFullScreenChange = () => {
      if (document.fullscreenElement === element) fullScreen = true;
      else if (fullScreen) closing();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullScreenChange);
    // Refused without a click to answer (or inside a frame that may not): the layer covers the page anyway.
    if (element && document.fullscreenEnabled) element.requestFullscreen().catch(() => {});
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullScreenChange);
      if (document.fullscreenElement === element) document.exitFullscreen().catch(() => {});
      // By now the layer has left the page, and full screen with it.
      back?.focus();
    };
  }, [opener]);

  return createPortal(
    <div
      ref={layer}
      className="presentation"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="presentation"
      // Close is the one control here: Tab stays on it.
      onKeyDown={(e) => {
        if (e.key !== 'Tab') return;
        e.preventDefault();
        close.current?.focus();
      }}
    >
      <header className="presentation-header">
        <h2 id={titleId}>{title}</h2>
        <button ref={close} type="button" className="presentation-close" data-testid="presentation-close" onClick={onClose}>
          Close <span aria-hidden="true">(Esc)</span>
        </button>
      </header>
      <div className="presentation-chart">{children}</div>
    </div>,
    document.body,
  );
}
