/**
 * The small Markdown subset lessons are written in, parsed into plain data that the page renders as React
 * elements (src/ui/lesson-text.tsx), never as HTML: paragraphs (blank-line separated), "- " bullet lists,
 * "1. " numbered lists, and inline **bold**, *italic*, `code` and [links](https://...) to https addresses
 * only. Anything else is text, shown as typed.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; href: string };

export type Block = { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; ordered: boolean; items: Inline[][] };

/** Inline markup, earliest match first: code, bold, italic, link. */
const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g;

export function parseInlines(text: string): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > at) out.push({ kind: 'text', text: text.slice(at, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'em', text: m[3] });
    else out.push({ kind: 'link', text: m[4]!, href: m[5]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** Blocks of `source`: lines joined into paragraphs, consecutive list lines into one list. */
export function parseLessonMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', inlines: parseInlines(paragraph.join(' ')) });
    paragraph = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      endParagraph();
      const ordered = numbered !== null;
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(parseInlines(item[1]!));
      else blocks.push({ kind: 'list', ordered, items: [parseInlines(item[1]!)] });
    } else if (line.trim() === '') endParagraph();
    else {
      const last = blocks.at(-1);
      // A line right after a list item, indented, continues that item.
      if (paragraph.length === 0 && last?.kind === 'list' && /^\s+\S/.test(line)) last.items[last.items.length - 1]!.push(...parseInlines(` ${line.trim()}`));
      else paragraph.push(line.trim());
    }
  }
  endParagraph();
  return blocks;
}
