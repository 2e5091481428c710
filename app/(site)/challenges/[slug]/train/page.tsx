import { getChallengeOr404 } from '../get-challenge-or-404';
import { BaselineTrainer } from './_components/baseline-trainer';

export const dynamic = 'force-dynamic';

export default async function TrainInBrowserPage({ params }: { params: Promise<{ slug: string }> }) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  const train = challenge.dataset.downloads.find((d) => d.role === 'train' && d.format === 'arrow');
  // A phase that takes models: the baseline trains on the model's input columns and submits the model itself.
  const modelPhaseKey = challenge.openPhase?.key ?? challenge.phases.at(-1)?.key ?? '';
  const modelPhase = challenge.model && challenge.model.phases[modelPhaseKey]?.submissions !== 'predictions' ? challenge.model : null;
  if (modelPhase && train && challenge.task === 'binary-classification') {
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
          trainUrl={`/api/challenges/${challenge.slug}/files/${train.name}`}
          testSets={[]}
          trainRows={train.rows}
          featureNames={modelPhase.inputColumns}
          missingValue={challenge.dataset.missingValue}
          expectedYields={challenge.dataset.expectedYields}
          metrics={challenge.metrics}
          isSignedIn={ctx.user !== null}
          canSubmit={challenge.openPhase !== null}
          modelPhase={{ phaseKey: modelPhaseKey, inputColumns: modelPhase.inputColumns }}
        />
      </article>
    );
  }
  const test = challenge.dataset.downloads.find((d) => d.role === 'test' && d.format === 'arrow');
  // Challenges scored on systematic variations need predictions for each varied test set too.
  const variationTests = challenge.scoring.variations.map((v) => ({
    variation: v.name,
    file: challenge.dataset.downloads.find((d) => d.name === `test@${v.name}.arrow`),
  }));
  if (challenge.task !== 'binary-classification' || !train || !test || variationTests.some((v) => !v.file)) {
    return <p className="notice">This challenge has no classification training set in Arrow format to train on in the browser.</p>;
  }
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
          ...variationTests.map((v) => ({ variation: v.variation, url: `/api/challenges/${challenge.slug}/files/${v.file?.name ?? ''}` })),
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
