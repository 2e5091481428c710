'use client';

import { useId, useState } from 'react';

export type CodeTab = { id: string; label: string; language: string; code: string };

/**
 * Code snippets behind tabs, with a copy button. Every panel is rendered (hidden unless selected) so the page
 * works without JavaScript and search finds text in any tab.
 */
export function CodeTabs({ tabs, testId }: { tabs: CodeTab[]; testId?: string }) {
  const [selected, setSelected] = useState(tabs[0]?.id ?? '');
  const [copied, setCopied] = useState<string | null>(null);
  const baseId = useId();
  async function copy(tab: CodeTab) {
    try {
      await navigator.clipboard.writeText(tab.code);
      setCopied(tab.id);
      setTimeout(() => setCopied((current) => (current === tab.id ? null : current)), 1500);
    } catch {
      setCopied(null);
    }
  }
  return (
    <div className="code-tabs" data-testid={testId}>
      <div role="tablist" className="code-tabs-list">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${baseId}-tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={`${baseId}-panel-${tab.id}`}
            className={tab.id === selected ? 'code-tab selected' : 'code-tab'}
            onClick={() => setSelected(tab.id)}
            data-testid={`snippet-tab-${tab.id}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${baseId}-panel-${tab.id}`}
          aria-labelledby={`${baseId}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="code-panel"
          data-testid={`snippet-${tab.id}`}
          data-language={tab.language}
        >
          <button type="button" className="copy-button secondary" onClick={() => copy(tab)}>
            {copied === tab.id ? 'Copied' : 'Copy'}
          </button>
          <pre>
            <code>{tab.code}</code>
          </pre>
        </div>
      ))}
    </div>
  );
}
