import { Markdown } from '@/app/_components/markdown';
import { MetricDirection, getMetricDescription } from '@/app/_components/metric-direction';
import { ONE_SIGMA_COVERAGE, QUANTILE_SCORE_EPSILON } from '@/scoring/quantile-score';
import type { ChallengeDto } from '@/lib/shared/dto/challenge-dto';
import { TrackmlWeightsFigure } from '../_components/trackml-weights-figure';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { challengePageMetadata } from '../challenge-page-metadata';

type VariationInfo = ChallengeDto['scoring']['variations'][number];

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Evaluation');
}

/** Variations by systematic group, in declaration order, with up/down pairs recognised from either side. */
function groupVariations(variations: VariationInfo[]): Array<{ group: string; members: VariationInfo[] }> {
  const groups = new Map<string, VariationInfo[]>();
  for (const v of variations) groups.set(v.group, [...(groups.get(v.group) ?? []), v]);
  return [...groups].map(([group, members]) => ({ group, members }));
}

function partnerOf(variation: VariationInfo, all: VariationInfo[]): string | null {
  return variation.pairedWith ?? all.find((other) => other.pairedWith === variation.name)?.name ?? null;
}

function RobustnessRecipe({ variations }: { variations: VariationInfo[] }) {
  const groups = groupVariations(variations);
  return (
    <section id="robustness" data-testid="robustness-recipe">
      <h2>Robustness to systematic uncertainties</h2>
      <p>
        Every submission is also scored on {variations.length} systematically varied test sets (files <code>test@&lt;name&gt;</code>
        ). For a metric M with value M<sub>nominal</sub> on the nominal test set and M<sub>X</sub> on variation X:
      </p>
      <ul>
        <li>
          relative shift u<sub>X</sub> = |M<sub>X</sub> / M<sub>nominal</sub> − 1|;
        </li>
        <li>an up/down pair contributes the larger of its two shifts, max(u<sub>up</sub>, u<sub>down</sub>); any other variation its own shift;</li>
        <li>contributions within a group add in quadrature, and the groups add in quadrature to the total: Δ = √(Σ<sub>groups</sub> Σ<sub>terms</sub> u²).</li>
      </ul>
      <p>
        The leaderboard shows Δ as a percentage in the columns <em>ΔM syst.</em>, with its bootstrap 68 % interval. Smaller is
        better; it is shown next to the rank, not folded into it (the ATLAS top-tagging recipe, arXiv:2407.20127).
      </p>
      <table className="table" data-testid="variations">
        <thead>
          <tr>
            <th>group</th>
            <th>variation</th>
            <th>label</th>
            <th>paired with</th>
          </tr>
        </thead>
        <tbody>
          {groups.flatMap(({ group, members }) =>
            members.map((v, k) => (
              <tr key={v.name} data-testid="variation-row" data-variation={v.name} data-group={group}>
                <td>{k === 0 ? <strong>{group}</strong> : ''}</td>
                <td>
                  <code>{v.name}</code>
                </td>
                <td>{v.label}</td>
                <td>{partnerOf(v, variations) ? <code>{partnerOf(v, variations)}</code> : <span className="muted">—</span>}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

function QuantileScoreFormula() {
  return (
    <section id="quantile-score" data-testid="quantile-score-formula">
      <h2>Quantile score</h2>
      <p>
        For N pseudo-experiments with true signal strengths μ<sub>i</sub> and your intervals [p16<sub>i</sub>, p84<sub>i</sub>]:
      </p>
      <ul>
        <li>
          coverage c = (1/N) Σ 1[p16<sub>i</sub> ≤ μ<sub>i</sub> ≤ p84<sub>i</sub>] (both ends inclusive); mean width w = (1/N) Σ (p84
          <sub>i</sub> − p16<sub>i</sub>);
        </li>
        <li>
          σ<sub>68</sub> = √({ONE_SIGMA_COVERAGE}·{(1 - ONE_SIGMA_COVERAGE).toFixed(4)}·N)/N, lo = {ONE_SIGMA_COVERAGE} − 2σ<sub>68</sub>, hi ={' '}
          {ONE_SIGMA_COVERAGE} + 2σ<sub>68</sub>;
        </li>
        <li>
          coverage penalty f(c) = 1 for lo ≤ c ≤ hi, 1 + |(c − lo)/σ<sub>68</sub>|⁴ below (under-coverage), 1 + |(c − hi)/σ
          <sub>68</sub>|³ above;
        </li>
        <li>
          <strong>
            score = −ln((w + {QUANTILE_SCORE_EPSILON})·f(c))
          </strong>
          ; higher is better: narrow intervals that still cover μ about {Math.round(ONE_SIGMA_COVERAGE * 100)} % of the time.
        </li>
      </ul>
      <p className="muted small">
        As in the FAIR-Universe HiggsML Uncertainty Challenge (<code>scoring_program/score.py</code>). Its uncertainty comes from
        bootstrap resampling of the pseudo-experiment sets.
      </p>
    </section>
  );
}

function TrackmlScoreFormula() {
  return (
    <section id="trackml-score" data-testid="trackml-score-formula">
      <h2>TrackML score, step by step</h2>
      <p>For each event, with the truth particle p(h) and weight w(h) of every hit h, and your track t(h):</p>
      <ul>
        <li>
          majority particle of track T: m(T) = the particle with most hits on T; among equals the smallest particle_id (noise, id 0,
          included);
        </li>
        <li>
          T is good when 2·n(T, m) &gt; n(T) and 2·n(T, m) &gt; n(m), with n(T, m) the hits of m on T, n(T) the hits of T and n(m) all hits
          of m in the event;
        </li>
        <li>
          <strong>event score = Σ<sub>good T</sub> Σ<sub>h ∈ T, p(h) = m(T)</sub> w(h) / Σ<sub>h</sub> w(h)</strong>; the challenge score
          is the mean of the event scores.
        </li>
      </ul>
      <p>The weights published with the challenge, as the scorer computes them (left: along tracks of 5, 10 and 16 hits, each summing to 1; right: by particle p<sub>T</sub>):</p>
      <TrackmlWeightsFigure />
      <p className="muted small">
        As in the Kaggle TrackML Particle Tracking Challenge (trackml-library <code>trackml/score.py</code> and <code>trackml/weights.py</code>; S.
        Amrouche et al., arXiv:1904.06778). The same score offline: <code>npm run --silent score -- --task tracking --truth truth.csv --predictions submission.csv</code>.
      </p>
    </section>
  );
}

export default async function ChallengeEvaluationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { challenge } = await getChallengeOr404((await params).slug);
  const { variations } = challenge.scoring;
  return (
    <article>
      <Markdown source={challenge.pages.evaluation} />
      <h2>Metrics on the leaderboard</h2>
      <table className="table" data-testid="metrics">
        <thead>
          <tr>
            <th>metric</th>
            <th>id</th>
            <th>better is</th>
            <th>definition</th>
          </tr>
        </thead>
        <tbody>
          {challenge.metrics.map((m) => (
            <tr key={m.id} data-testid="metric-row" data-metric={m.id} data-direction={m.direction}>
              <td>
                {m.label} {m.primary && <span className="badge">primary · ranks the board</span>}
              </td>
              <td>
                <code>{m.id}</code>
              </td>
              <td>
                <MetricDirection metric={m} /> <span data-testid="direction-text">{m.directionText}</span>
              </td>
              <td className="small">{getMetricDescription(m.id) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Every value on the leaderboard carries a 68 % bootstrap interval ({challenge.scoring.bootstrapReplicas} resamplings of the
        test {challenge.task === 'track-assignment' ? 'events' : 'set'}, shared by all entries so that entries can be compared pairwise); entries whose paired difference is not
        significant share a tie group.
      </p>
      {challenge.task === 'interval-estimation' && <QuantileScoreFormula />}
      {challenge.task === 'track-assignment' && <TrackmlScoreFormula />}
      {variations.length > 0 && <RobustnessRecipe variations={variations} />}
    </article>
  );
}
