import { Marked } from 'marked';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Raw HTML in a page is shown as text: challenge pages may come from organisers' uploads.
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      // Only web, mail and relative links; a javascript: URL becomes plain text.
      if (!/^(https?:|mailto:|\/|#)/i.test(href)) return label;
      return `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>`;
    },
  },
});

/** Markdown to HTML for challenge pages, with raw HTML escaped. */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown) as string;
}
