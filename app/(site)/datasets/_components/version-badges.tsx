import type { DatasetVersionSummaryDto } from '@/lib/shared/dto/dataset-catalogue-dto';

/** Toy or real, and (for its managers) whether the version is private. */
export function VersionBadges({ summary }: { summary: DatasetVersionSummaryDto }) {
  const { visibility } = summary;
  return (
    <>
      {summary.isToy ? (
        <span className="badge toy" title="Generated toy data, not ATLAS simulation">
          toy data
        </span>
      ) : (
        <span className="badge open" title="Real open data or simulation from a recipe">
          real data
        </span>
      )}{' '}
      {!visibility.isPublic && !visibility.isUsedByPublishedChallenge && (
        <span className="badge" data-testid="private-badge" title="Only its owner, grantees and admins see this version">
          private
        </span>
      )}
    </>
  );
}
