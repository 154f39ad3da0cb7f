/**
 * A lesson's text as React elements, from the Markdown subset's parse (engine's lessons/lesson-markdown.ts):
 * paragraphs, lists, bold, italic, code and https links. Nothing in a lesson is ever set as HTML.
 */
import { Fragment } from 'react';
import { parseLessonMarkdown, type Inline } from '../engine/lessons/lesson-markdown';

function InlineText({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((x, i) => {
        switch (x.kind) {
          case 'strong':
            return <strong key={i}>{x.text}</strong>;
          case 'em':
            return <em key={i}>{x.text}</em>;
          case 'code':
            return <code key={i}>{x.text}</code>;
          case 'link':
            return (
              <a key={i} href={x.href} target="_blank" rel="noopener noreferrer">
                {x.text}
              </a>
            );
          default:
            return <Fragment key={i}>{x.text}</Fragment>;
        }
      })}
    </>
  );
}

export function LessonText({ source }: { source: string }) {
  return (
    <div className="lesson-text">
      {parseLessonMarkdown(source).map((block, i) => {
        if (block.kind === 'paragraph') {
          return (
            <p key={i}>
              <InlineText inlines={block.inlines} />
            </p>
          );
        }
        const items = block.items.map((item, j) => (
          <li key={j}>
            <InlineText inlines={item} />
          </li>
        ));
        return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
      })}
    </div>
  );
}
