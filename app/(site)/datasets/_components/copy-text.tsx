'use client';

import { useState } from 'react';

/** A citation (or any text) with a button that copies it; says whether the copy worked. */
export function CopyText({ label, text, testId, isCode = false }: { label: string; text: string; testId: string; isCode?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <div className="panel copy-text" data-testid={testId}>
      <div className="row" style={{ justifyContent: 'space-between', marginTop: 0 }}>
        <strong className="small">{label}</strong>
        <button
          type="button"
          className="secondary"
          data-testid={`${testId}-copy`}
          onClick={() => {
            navigator.clipboard.writeText(text).then(
              () => setState('copied'),
              () => setState('failed'),
            );
          }}
        >
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {isCode ? (
        <pre>
          <code data-testid={`${testId}-value`}>{text}</code>
        </pre>
      ) : (
        <p className="small" data-testid={`${testId}-value`}>
          {text}
        </p>
      )}
      {state === 'failed' && (
        <p className="error small" role="alert">
          The browser refused to copy; select the text and copy it by hand.
        </p>
      )}
      <span className="sr-only" role="status">
        {state === 'copied' ? `${label} citation copied to the clipboard.` : ''}
      </span>
    </div>
  );
}
