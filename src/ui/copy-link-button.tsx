/**
 * "Copy link": puts a link on the clipboard: the page's URL, which carries the whole experiment, or another
 * (a lesson's). Where the browser refuses clipboard access, the link appears in a selected text box to copy
 * by hand.
 */
import { useEffect, useRef, useState } from 'react';
import { useLab } from './lab-store';

/** The experiment's link, from the header; a lesson's from the Learn tab. */
export function CopyLinkButton({ link, testId = 'copy-link-button', title }: { link?: () => string; testId?: string; title?: string }) {
  const formValid = useLab((s) => s.check.config !== null);
  const valid = link !== undefined || formValid;
  const [copied, setCopied] = useState(false);
  const [manual, setManual] = useState<string | null>(null);
  const box = useRef<HTMLInputElement>(null);

  useEffect(() => box.current?.select(), [manual]);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = async () => {
    const url = link ? link() : window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setManual(null);
      setCopied(true);
    } catch {
      setManual(url);
    }
  };

  return (
    <span className="copy-link">
      <button
        type="button"
        data-testid={testId}
        disabled={!valid}
        title={title ?? (valid ? 'Copy a link that opens this experiment' : 'Fix the form first: the link carries a valid experiment')}
        onClick={() => void copy()}
      >
        {copied ? 'Link copied' : 'Copy link'}
      </button>
      {manual !== null && (
        <span className="manual-link" role="status">
          <label>
            Copy this link:{' '}
            <input ref={box} data-testid="share-link-text" readOnly value={manual} onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" className="link-button" onClick={() => setManual(null)} aria-label="Close">
            ×
          </button>
        </span>
      )}
    </span>
  );
}
