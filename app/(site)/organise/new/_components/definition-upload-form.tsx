'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { ProblemList } from '@/app/_components/problem-list';
import { createFromDefinitionAction } from '../actions';

export function DefinitionUploadForm({ example }: { example: string }) {
  const [result, dispatch, isPending] = useActionState<ActionResult<ChallengeChangeDto> | null, FormData>(createFromDefinitionAction, null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }
  return (
    <form onSubmit={onSubmit} className="form wide-form" data-testid="definition-upload">
      <label>
        <span>Definition file (JSON, the format of challenges/schema.ts)</span>
        <input type="file" name="definitionFile" accept=".json,application/json" data-testid="definition-file" />
      </label>
      <details>
        <summary>…or paste it</summary>
        <textarea name="definitionJson" rows={14} spellCheck={false} placeholder={example} data-testid="definition-json" />
      </details>
      <button type="submit" disabled={isPending} data-testid="upload-definition">
        {isPending ? 'Checking…' : 'Create draft from file'}
      </button>
      <ProblemList result={result} testId="definition-error" />
    </form>
  );
}
