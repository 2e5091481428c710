import { ActionForm } from '@/app/_components/action-form';
import { setVersionVisibilityAction } from '../actions';

/** For the dataset's owner and admins: publish the version in the catalogue or make it private again. */
export function VisibilityForm({ dataset, version, isPublic, isUsed }: { dataset: string; version: string; isPublic: boolean; isUsed: boolean }) {
  return (
    <div className="panel" data-testid="dataset-visibility">
      <h3>Visibility</h3>
      <p className="small">
        {isPublic ? 'This version is listed in the public catalogue.' : 'This version is private: only you, your grantees and admins see it.'}
        {isUsed ? ' A published challenge uses it, so it is shown to everyone while that challenge is published.' : ''} Truth tables are never listed
        or served either way.
      </p>
      <ActionForm
        action={setVersionVisibilityAction}
        hidden={{ dataset, version, isPublic: isPublic ? 'false' : 'true' }}
        submitLabel={isPublic ? 'Make private' : 'Publish in the catalogue'}
        testId="dataset-visibility-toggle"
        isSecondary={isPublic}
      />
    </div>
  );
}
