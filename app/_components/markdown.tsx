import { renderMarkdown } from '@/lib/shared/render-markdown';

/** Challenge pages: markdown rendered on the server with raw HTML escaped. */
export function Markdown({ source }: { source: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
