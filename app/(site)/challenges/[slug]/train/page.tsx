import Link from 'next/link';
import { findBrowserModelTraining, findBrowserTrainingFiles } from '@/lib/shared/browser-training';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { BaselineTrainer } from './_components/baseline-trainer';
import { challengePageMetadata } from '../challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Train in your browser');
}

export default async function TrainInBrowserPage({ params }: { params: Promise<{ slug: string }> }) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  // A phase that takes models: the baseline trains on the model's input columns and submits the model itself.
  const modelTraining = findBrowserModelTraining(challenge);
  if (modelTraining) {
    return (
      <article>
        <h2>Train a baseline in your browser</h2>
        <p className="muted">
          No install, no Python: a neural network (TensorFlow.js) trains on the training set right here, in a background thread of this tab.
          In this phase you submit the <strong>model</strong>: its standardisation and a sigmoid are built into it, and the server runs it on
          test data that never leaves the server{challenge.scoring.variations.length > 0 ? ', and on every systematic variation' : ''}.
        </p>
        <BaselineTrainer
          challengeSlug={challenge.slug}
          trainUrl={`/api/challenges/${challenge.slug}/files/${modelTraining.train.name}`}
          testSets={[]}
          trainRows={modelTraining.train.rows}
          featureNames={modelTraining.inputColumns}
          missingValue={challenge.dataset.missingValue}
          expectedYields={challenge.dataset.expectedYields}
          metrics={challenge.metrics}
          isSignedIn={ctx.user !== null}
          canSubmit={challenge.openPhase !== null}
          modelPhase={{ phaseKey: modelTraining.phaseKey, inputColumns: modelTraining.inputColumns }}
        />
      </article>
    );
  }
  // Challenges scored on systematic variations need predictions for each varied test set too.
  const files = findBrowserTrainingFiles(challenge);
  if (!files) {
    // The tab is not offered for such challenges; an old link still explains itself.
    return (
      <p className="notice" data-testid="train-unavailable">
        This challenge cannot be trained in the browser: {challenge.task === 'binary-classification' ? 'its dataset has no training and test sets in Arrow format' : 'its task is not an event classification'}. See its{' '}
        <Link href={`/challenges/${challenge.slug}/data`}>data page</Link> for the files and loading snippets.
      </p>
    );
  }
  const { train, test, variationTests } = files;
  return (
    <article>
      <h2>Train a baseline in your browser</h2>
      <p className="muted">
        No install, no Python: a neural network (TensorFlow.js) trains on the training set right here, in a background
        thread of this tab. You see the loss and the validation AUC after every epoch, then score the test set and submit
        with one click. Once the data is loaded, training and predicting need no network.
      </p>
      <BaselineTrainer
        challengeSlug={challenge.slug}
        trainUrl={`/api/challenges/${challenge.slug}/files/${train.name}`}
        testSets={[
          { variation: 'nominal', url: `/api/challenges/${challenge.slug}/files/${test.name}` },
          ...variationTests.map((v) => ({ variation: v.variation, url: `/api/challenges/${challenge.slug}/files/${v.file.name}` })),
        ]}
        trainRows={train.rows}
        featureNames={challenge.dataset.featureColumns}
        missingValue={challenge.dataset.missingValue}
        expectedYields={challenge.dataset.expectedYields}
        metrics={challenge.metrics}
        isSignedIn={ctx.user !== null}
        canSubmit={challenge.openPhase !== null}
      />
    </article>
  );
}
