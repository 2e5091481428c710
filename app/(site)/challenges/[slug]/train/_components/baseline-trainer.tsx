'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LineChart } from '@/app/_components/line-chart';
import type { RocAxis, RocCurve } from '@/lib/client/plots/build-roc-canvas';
import { RocAxisSelect } from '@/lib/client/plots/roc-axis-select';
import { loadJsroot } from '@/lib/client/plots/load-jsroot';
import { RocPlot } from '@/lib/client/plots/roc-plot';
import { activations, checkModelSettings, defaultModelSettings, parseHiddenLayers, type Activation, type ModelSettings } from '@/lib/client/baseline/model-settings';
import { applyStandardiser, fitStandardiser, type Matrix, type Standardiser } from '@/lib/client/baseline/standardise';
import type { EpochReport } from '@/lib/client/baseline/train-model';
import { buildTrainingSet, fetchWithProgress, readTestMatrix, type TrainingSet } from '@/lib/client/baseline/training-set';
import type { BackendChoice, WorkerRequest, WorkerResponse } from '@/lib/client/baseline/worker-protocol';
import { decodeArrowTable, type DecodedArrowTable } from '@/lib/shared/arrow';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { renormaliseToYields } from '@/lib/shared/renormalise-to-yields';
import { computeBinaryMetrics, isMetricId, type MetricId } from '@/scoring/registry';
import { computeRoc } from '@/scoring/roc';
import { uploadPredictions } from '@/lib/client/upload/upload-predictions';
import { LiveSubmissionCard } from '@/app/_components/live/live-submissions';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { formatMetricValue } from '@/lib/shared/formats/metric-format';
import { maxSubmissionDescriptionLength } from '@/lib/shared/submission-description';

type Props = {
  challengeSlug: string;
  trainUrl: string;
  /** The nominal test set first, then one per systematic variation the challenge scores. */
  testSets: { variation: string; url: string }[];
  trainRows: number;
  featureNames: string[];
  missingValue: number;
  expectedYields: { signal: number; background: number };
  metrics: MetricColumnDto[];
  isSignedIn: boolean;
  canSubmit: boolean;
  /**
   * The open phase takes models: train on these input columns (raw values, no missing-value sentinel), then submit
   * the model itself; the test features stay on the server.
   */
  modelPhase?: { phaseKey: string; inputColumns: string[] } | null;
};

type Phase = 'idle' | 'loading' | 'loaded' | 'training' | 'trained' | 'predicting' | 'submitted';
type Prepared = { set: TrainingSet; standardiser: Standardiser; train: Matrix; validation: Matrix; tests: Array<{ variation: string; ids: ArrayLike<number>; x: Matrix }> };

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A small features CSV (header, then numbers) as a decoded table, for predicting a file in the browser. */
function parseFeaturesCsv(text: string): DecodedArrowTable {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const names = (lines[0] ?? '').split(',').map((name) => name.trim());
  const columns = Object.fromEntries(names.map((name) => [name, new Float64Array(lines.length - 1)]));
  lines.slice(1).forEach((line, r) => {
    const fields = line.split(',');
    names.forEach((name, c) => {
      const value = Number(fields[c]);
      if (!Number.isFinite(value)) throw new Error(`line ${r + 2}, column "${name}": expected a number, found "${fields[c] ?? ''}"`);
      (columns[name] as Float64Array)[r] = value;
    });
  });
  return { numRows: lines.length - 1, columnNames: names, columns, metadata: {} };
}

/** "TF.js network 64-32, relu, 10 epochs, lr 0.001, batch 256 (wasm)": the default description of a baseline. */
function describeSettings(settings: ModelSettings, backend: string | null): string {
  const layers = settings.hiddenLayers.join('-') || 'no hidden layer';
  return `TF.js network ${layers}, ${settings.activation}, ${settings.epochs} epochs, lr ${settings.learningRate}, batch ${settings.batchSize}${settings.useWeights ? ', weighted' : ''}${backend ? ` (${backend.split(' ')[0]})` : ''}`;
}

export function BaselineTrainer(props: Props) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ label: string; fraction: number | null } | null>(null);
  const [subsample, setSubsample] = useState(0.25);
  const [validationFraction, setValidationFraction] = useState(0.2);
  const [layersText, setLayersText] = useState(defaultModelSettings.hiddenLayers.join(', '));
  const [activation, setActivation] = useState<Activation>(defaultModelSettings.activation);
  const [learningRate, setLearningRate] = useState(String(defaultModelSettings.learningRate));
  const [epochs, setEpochs] = useState(String(defaultModelSettings.epochs));
  const [batchSize, setBatchSize] = useState(String(defaultModelSettings.batchSize));
  const [useWeights, setUseWeights] = useState(defaultModelSettings.useWeights);
  const [backendChoice, setBackendChoice] = useState<BackendChoice>('auto');
  const [backend, setBackend] = useState<string | null>(null);
  const [reports, setReports] = useState<EpochReport[]>([]);
  const [validation, setValidation] = useState<{ metrics: Record<string, number>; roc: Array<[number, number]> } | null>(null);
  const [rocAxis, setRocAxis] = useState<RocAxis>('rejection');
  // The validation ROC in the shape the submission page's plot takes, so both pages offer the same two conventions.
  const validationCurves = useMemo<RocCurve[]>(
    () => (validation ? [{ label: 'validation part', fpr: validation.roc.map(([fpr]) => fpr), tpr: validation.roc.map(([, tpr]) => tpr) }] : []),
    [validation],
  );
  const [submission, setSubmission] = useState<SubmissionDto | null>(null);
  const [description, setDescription] = useState('');
  const [predictionsCsv, setPredictionsCsv] = useState<string | null>(null);
  const prepared = useRef<Prepared | null>(null);
  const worker = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, (scores: Float32Array) => void>());
  // The worker's message handler is created once; it reads the epoch count through a ref, not a stale closure.
  const epochCount = useRef(0);
  const exportResolver = useRef<((files: { modelJson: string; weights: ArrayBuffer }) => void) | null>(null);
  const zipResolvers = useRef(new Map<number, (zip: Uint8Array) => void>());
  const [modelZip, setModelZip] = useState<Uint8Array | null>(null);
  const [checkPredictions, setCheckPredictions] = useState<{ name: string; csv: string; rows: number } | null>(null);
  const isModelPhase = Boolean(props.modelPhase);
  // A model phase's model takes raw values: every value is a value, so no missing-value sentinel and no indicator input.
  const missingValue = isModelPhase ? Number.NaN : props.missingValue;

  useEffect(() => {
    if (!props.isSignedIn) return;
    // Once per mount: start the worker and its backend now; after this and the data download, training needs no network.
    send({ type: 'init', backend: 'auto' });
    return () => worker.current?.terminate();
  }, []);

  function getWorker(): Worker {
    if (worker.current) return worker.current;
    const w = new Worker(new URL('../../../../../../lib/client/baseline/train-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<WorkerResponse>) => onWorkerMessage(event.data);
    w.onerror = (event) => {
      setError(`The training thread stopped: ${event.message || 'unknown error'}. Nothing was submitted; reload to try again.`);
      setPhase(prepared.current ? 'loaded' : 'idle');
      worker.current = null;
    };
    worker.current = w;
    return w;
  }

  function send(request: WorkerRequest, transfer: Transferable[] = []) {
    getWorker().postMessage(request, transfer);
  }

  function onWorkerMessage(message: WorkerResponse) {
    if (message.type === 'backend') setBackend(message.note ? `${message.backend} (${message.note})` : message.backend);
    if (message.type === 'epoch') {
      epochCount.current += 1;
      setReports((r) => [...r, message.report]);
    }
    if (message.type === 'error') {
      setError(message.message);
      setPhase((p) => (p === 'training' ? (epochCount.current > 0 ? 'trained' : 'loaded') : p === 'predicting' ? 'trained' : p));
    }
    if (message.type === 'predicted') {
      pending.current.get(message.requestId)?.(message.scores);
      pending.current.delete(message.requestId);
    }
    if (message.type === 'exported') exportResolver.current?.(message);
    if (message.type === 'submissionZip') {
      zipResolvers.current.get(message.requestId)?.(message.zip);
      zipResolvers.current.delete(message.requestId);
    }
    if (message.type === 'trained') {
      const data = prepared.current;
      if (!data) return;
      const rows = data.set.validation;
      // The same per-class renormalisation as the server applies to each scored split.
      const weights = renormaliseToYields(rows.labels, rows.weights, props.expectedYields);
      const input = { labels: rows.labels, scores: Float64Array.from(message.validationScores), weights };
      const ids = props.metrics.map((m) => m.id).filter(isMetricId) as MetricId[];
      try {
        const metrics = computeBinaryMetrics(input, ids);
        const roc = computeRoc(input);
        const n = roc.thresholds.length;
        const step = Math.max(1, Math.floor(n / 300));
        const points: Array<[number, number]> = [[0, 0]];
        for (let i = 0; i < n; i += step) {
          points.push([(roc.falsePositiveWeight[i] ?? 0) / roc.totalBackgroundWeight, (roc.truePositiveWeight[i] ?? 0) / roc.totalSignalWeight]);
        }
        points.push([1, 1]);
        setValidation({ metrics, roc: points });
      } catch (e) {
        setError(`Validation metrics could not be computed: ${e instanceof Error ? e.message : String(e)}`);
      }
      setPhase('trained');
    }
  }

  async function loadData() {
    setError(null);
    setPhase('loading');
    try {
      const bytes = await fetchWithProgress(props.trainUrl, (received, total) =>
        setProgress({ label: `Downloading the training set: ${(received / 1e6).toFixed(1)} MB`, fraction: total ? received / total : null }),
      );
      // The test sets come now too, so that predicting works offline once the page has its data.
      const testBytes: Uint8Array[] = [];
      for (const testSet of props.testSets) {
        const label = testSet.variation === 'nominal' ? 'the test set' : `the ${testSet.variation} test set`;
        testBytes.push(
          await fetchWithProgress(testSet.url, (received, total) =>
            setProgress({ label: `Downloading ${label}: ${(received / 1e6).toFixed(1)} MB`, fraction: total ? received / total : null }),
          ),
        );
      }
      // The ROC plot's drawing library comes now too, so the validation curve draws offline after training.
      setProgress({ label: 'Loading the plotting library …', fraction: null });
      await loadJsroot();
      setProgress({ label: 'Preparing features …', fraction: 1 });
      const set = buildTrainingSet(decodeArrowTable(bytes), props.featureNames, { subsampleFraction: subsample, validationFraction, seed: 20_260_101 });
      const standardiser = fitStandardiser(set.train.x, props.featureNames, missingValue);
      prepared.current = {
        set,
        standardiser,
        train: applyStandardiser(standardiser, set.train.x),
        validation: applyStandardiser(standardiser, set.validation.x),
        tests: props.testSets.map((testSet, i) => {
          const test = readTestMatrix(decodeArrowTable(testBytes[i] ?? new Uint8Array()), props.featureNames);
          return { variation: testSet.variation, ids: test.ids, x: applyStandardiser(standardiser, test.x) };
        }),
      };
      setProgress(null);
      setPhase('loaded');
    } catch (e) {
      setProgress(null);
      setError(e instanceof Error ? e.message : String(e));
      setPhase('idle');
    }
  }

  function settings(): ModelSettings {
    return {
      hiddenLayers: parseHiddenLayers(layersText),
      activation,
      learningRate: Number(learningRate),
      epochs: Number(epochs),
      batchSize: Number(batchSize),
      useWeights,
    };
  }

  /** What the participant typed, else the network's settings: every browser baseline says what it is. */
  function baselineDescription(): string {
    return (description.trim() || describeSettings(settings(), backend)).slice(0, maxSubmissionDescriptionLength);
  }

  function train() {
    const data = prepared.current;
    if (!data) return;
    const chosen = settings();
    const problems = checkModelSettings(chosen);
    if (problems.length > 0) {
      setError(problems.join(' '));
      return;
    }
    setError(null);
    setReports([]);
    epochCount.current = 0;
    setValidation(null);
    setSubmission(null);
    setPredictionsCsv(null);
    setPhase('training');
    // Copies go to the worker, so the page keeps its own data for another run.
    const rows = (x: Matrix, part: TrainingSet['train']) => ({
      x: { data: x.data.slice(), rows: x.rows, cols: x.cols },
      labels: part.labels.slice(),
      weights: part.weights.slice(),
    });
    const trainRows = rows(data.train, data.set.train);
    const validationRows = rows(data.validation, data.set.validation);
    send({ type: 'train', train: trainRows, validation: validationRows, settings: chosen, backend: backendChoice, seed: 1 }, [
      trainRows.x.data.buffer,
      validationRows.x.data.buffer,
    ]);
  }

  function predictInWorker(x: Matrix): Promise<Float32Array> {
    const requestId = Math.floor(Math.random() * 1e9);
    return new Promise((resolve) => {
      pending.current.set(requestId, resolve);
      send({ type: 'predict', requestId, x }, [x.data.buffer]);
    });
  }

  async function predictAndSubmit() {
    const data = prepared.current;
    if (!data) return;
    setError(null);
    setPhase('predicting');
    try {
      setProgress({ label: 'Scoring the test events …', fraction: 1 });
      // With variations the file has one block of rows per test set, told apart by the variation column.
      const withVariations = data.tests.length > 1;
      const lines = [withVariations ? 'variation,id,score' : 'id,score'];
      for (const { variation, ids, x } of data.tests) {
        const scores = await predictInWorker({ data: x.data.slice(), rows: x.rows, cols: x.cols });
        const prefix = withVariations ? `${variation},` : '';
        for (let r = 0; r < x.rows; r++) lines.push(`${prefix}${ids[r]},${Math.min(1, Math.max(0, scores[r] ?? 0)).toFixed(6)}`);
      }
      const csv = `${lines.join('\n')}\n`;
      setPredictionsCsv(csv);
      setProgress({ label: 'Submitting …', fraction: 1 });
      // Streamed like any upload (a top-tagging file is megabytes; no request-body limit of its own).
      const result = await uploadPredictions({
        challengeSlug: props.challengeSlug,
        body: new Blob([csv], { type: 'text/csv' }),
        fileName: 'browser-baseline.csv',
        isBrowserBaseline: true,
        description: baselineDescription(),
        onProgress: (loaded, total) => setProgress({ label: 'Submitting …', fraction: total > 0 ? loaded / total : 1 }),
      });
      finishUpload(result, 'Your predictions are kept: download them below.');
    } catch (e) {
      failUpload(e);
    }
  }

  /** The answer of an upload from this page: the entry followed live, or the refusal (what was trained stays here). */
  function finishUpload(result: Awaited<ReturnType<typeof uploadPredictions>>, kept: string) {
    setProgress(null);
    if (!result.ok) {
      setError(`Submission refused: ${result.error.message} ${kept}`);
      setPhase('trained');
      return;
    }
    setSubmission(result.submission);
    setPhase('submitted');
  }

  function failUpload(e: unknown) {
    setProgress(null);
    setError(e instanceof Error ? e.message : String(e));
    setPhase('trained');
  }

  function exportSubmissionZip(): Promise<Uint8Array> {
    const data = prepared.current;
    if (!data) return Promise.reject(new Error('Load the data and train first.'));
    const requestId = Math.floor(Math.random() * 1e9);
    return new Promise((resolve) => {
      zipResolvers.current.set(requestId, resolve);
      send({
        type: 'exportSubmission',
        requestId,
        standardiser: data.standardiser,
        metadata: { challenge: props.challengeSlug, inputColumns: props.featureNames, output: 'probability that the event is signal' },
      });
    });
  }

  /** Model phases: the model itself is uploaded (streamed like any file) and run by the server on the hidden test sets. */
  async function submitModel() {
    if (!props.modelPhase) return;
    setError(null);
    setPhase('predicting');
    try {
      setProgress({ label: 'Packing the model …', fraction: 1 });
      const zip = await exportSubmissionZip();
      setModelZip(zip);
      setProgress({ label: 'Submitting the model …', fraction: 1 });
      const result = await uploadPredictions({
        challengeSlug: props.challengeSlug,
        body: new Blob([zip as BlobPart], { type: 'application/zip' }),
        fileName: 'browser-baseline.zip',
        kind: 'model',
        phaseKey: props.modelPhase.phaseKey,
        isBrowserBaseline: true,
        description: baselineDescription(),
      });
      finishUpload(result, 'Your model is kept: download it below.');
    } catch (e) {
      failUpload(e);
    }
  }

  /** Runs the submitted model on a features file in this browser (id + the input columns): what the server computes. */
  async function predictFeaturesFile(file: File) {
    setError(null);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const table = /\.csv$/i.test(file.name) ? parseFeaturesCsv(new TextDecoder().decode(bytes)) : decodeArrowTable(bytes);
      const test = readTestMatrix(table, props.featureNames);
      if (!modelZip) setModelZip(await exportSubmissionZip());
      const requestId = Math.floor(Math.random() * 1e9);
      const scores = await new Promise<Float32Array>((resolve) => {
        pending.current.set(requestId, resolve);
        send({ type: 'predictSubmission', requestId, x: test.x }, [test.x.data.buffer]);
      });
      const lines = ['id,score'];
      for (let r = 0; r < scores.length; r++) lines.push(`${test.ids[r]},${scores[r]}`);
      setCheckPredictions({ name: file.name, csv: `${lines.join('\n')}\n`, rows: scores.length });
    } catch (e) {
      setError(`${file.name} could not be predicted: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function downloadModel() {
    const data = prepared.current;
    if (!data) return;
    const files = await new Promise<{ modelJson: string; weights: ArrayBuffer }>((resolve) => {
      exportResolver.current = resolve;
      send({
        type: 'export',
        metadata: {
          challenge: props.challengeSlug,
          features: props.featureNames,
          standardisation: {
            mean: Array.from(data.standardiser.mean),
            std: Array.from(data.standardiser.std),
            missingValue: data.standardiser.missingValue,
            missingIndicatorFeatures: data.standardiser.indicatorFeatures.map((i) => props.featureNames[i]),
          },
          output: 'logit; score = sigmoid(output)',
        },
      });
    });
    download('model.json', files.modelJson, 'application/json');
    download('model.weights.bin', files.weights, 'application/octet-stream');
  }

  if (!props.isSignedIn) {
    return (
      <p className="notice">
        <Link href={`/sign-in?callbackUrl=/challenges/${props.challengeSlug}/train`}>Sign in</Link> to load the training data.
      </p>
    );
  }
  const isBusy = phase === 'loading' || phase === 'training' || phase === 'predicting';
  const last = reports.at(-1);
  return (
    <div className="trainer">
      <section className="panel">
        <h3>1. Data</h3>
        <div className="row">
          <label>
            Subsample of the {props.trainRows.toLocaleString('en')} training events
            <select value={subsample} onChange={(e) => setSubsample(Number(e.target.value))} disabled={isBusy} data-testid="subsample">
              {[0.05, 0.1, 0.25, 0.5, 1].map((f) => (
                <option key={f} value={f}>
                  {Math.round(f * 100)} % ({Math.round(f * props.trainRows).toLocaleString('en')})
                </option>
              ))}
            </select>
          </label>
          <label>
            Held out for validation
            <select value={validationFraction} onChange={(e) => setValidationFraction(Number(e.target.value))} disabled={isBusy}>
              {[0.1, 0.2, 0.3].map((f) => (
                <option key={f} value={f}>
                  {Math.round(f * 100)} %
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={loadData} disabled={isBusy}>
            {prepared.current ? 'Reload data' : 'Load training data'}
          </button>
        </div>
        {prepared.current && (
          <p className="small muted" data-testid="data-summary">
            {prepared.current.set.train.x.rows.toLocaleString('en')} training and {prepared.current.set.validation.x.rows.toLocaleString('en')} validation events,{' '}
            {props.featureNames.length} features standardised with training statistics
            {isModelPhase
              ? ' (inside the model you submit: it takes the raw columns, as the server gives them).'
              : ` (${prepared.current.standardiser.indicatorFeatures.length} with missing values get an extra is-missing input; missing = ${props.missingValue}).`}
          </p>
        )}
      </section>

      <section className="panel">
        <h3>2. Model</h3>
        <div className="row">
          <label>
            Hidden layer widths
            <input type="text" value={layersText} onChange={(e) => setLayersText(e.target.value)} disabled={isBusy} data-testid="hidden-layers" />
          </label>
          <label>
            Activation
            <select value={activation} onChange={(e) => setActivation(e.target.value as Activation)} disabled={isBusy}>
              {activations.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label>
            Learning rate
            <input type="text" inputMode="decimal" value={learningRate} onChange={(e) => setLearningRate(e.target.value)} disabled={isBusy} />
          </label>
          <label>
            Epochs
            <input type="text" inputMode="numeric" value={epochs} onChange={(e) => setEpochs(e.target.value)} disabled={isBusy} data-testid="epochs" />
          </label>
          <label>
            Batch size
            <input type="text" inputMode="numeric" value={batchSize} onChange={(e) => setBatchSize(e.target.value)} disabled={isBusy} />
          </label>
          <label>
            Backend
            <select value={backendChoice} onChange={(e) => setBackendChoice(e.target.value as BackendChoice)} disabled={isBusy}>
              <option value="auto">auto (WASM, then WebGL, then CPU)</option>
              <option value="wasm">WASM</option>
              <option value="webgl">WebGL</option>
              <option value="cpu">CPU</option>
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={useWeights} onChange={(e) => setUseWeights(e.target.checked)} disabled={isBusy} /> Use event weights (classes balanced)
          </label>
        </div>
        <div className="row">
          <button type="button" onClick={train} disabled={!prepared.current || isBusy}>
            Train
          </button>
          <button type="button" className="secondary" onClick={() => send({ type: 'stop' })} disabled={phase !== 'training'}>
            Stop early
          </button>
          {backend && (
            <span className="small muted" data-testid="backend">
              backend: {backend}
            </span>
          )}
        </div>
      </section>

      {progress && (
        <div className="progress" data-testid="progress">
          <span>{progress.label}</span>
          <progress value={progress.fraction ?? undefined} max={1} />
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="trainer-error">
          {error}
        </p>
      )}

      {reports.length > 0 && (
        <section className="panel">
          <h3>3. Training {phase === 'training' ? '(running …)' : ''}</h3>
          <p className="small" data-testid="epoch-status">
            epoch {last?.epoch} of {epochs}: loss {last?.loss.toFixed(4)}, validation AUC {last?.validationAuc.toFixed(4)},{' '}
            {Math.round(last?.samplesPerSecond ?? 0).toLocaleString('en')} events/s
          </p>
          <div className="charts">
            <LineChart xLabel="epoch" yLabel="training loss" series={[{ label: 'loss', color: '#b42318', points: reports.map((r) => [r.epoch, r.loss]) }]} />
            <LineChart
              xLabel="epoch"
              yLabel="validation AUC"
              testId="auc-chart"
              series={[{ label: 'validation AUC (weighted)', color: '#0b5cad', points: reports.map((r) => [r.epoch, r.validationAuc]) }]}
            />
          </div>
        </section>
      )}

      {validation && (
        <section className="panel">
          <h3>4. Validation and submission</h3>
          <table className="table" data-testid="validation-metrics">
            <tbody>
              {props.metrics.map((m) => (
                <tr key={m.id}>
                  <td title={m.directionText}>
                    {m.label} {m.directionArrow} (validation)
                  </td>
                  <td className="num">{formatMetricValue(validation.metrics[m.id], m.precision)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div data-testid="roc-chart">
            <div className="row">
              <RocAxisSelect value={rocAxis} onChange={setRocAxis} />
            </div>
            <RocPlot curves={validationCurves} axis={rocAxis} />
          </div>
          <div className="row">
            <label className="grow">
              Description (optional; by default the network&apos;s settings)
              <input
                type="text"
                value={description}
                maxLength={maxSubmissionDescriptionLength}
                onChange={(e) => setDescription(e.target.value)}
                placeholder={describeSettings(settings(), backend)}
                disabled={isBusy || phase === 'submitted'}
                data-testid="baseline-description"
              />
            </label>
          </div>
          <div className="row">
            {isModelPhase ? (
              <button type="button" onClick={submitModel} disabled={isBusy || !props.canSubmit || phase === 'submitted'} data-testid="submit-model">
                Submit the model
              </button>
            ) : (
              <button type="button" onClick={predictAndSubmit} disabled={isBusy || !props.canSubmit || phase === 'submitted'} data-testid="predict-submit">
                Predict the test set and submit
              </button>
            )}
            {isModelPhase && modelZip ? (
              <button type="button" className="secondary" onClick={() => download('browser-baseline.zip', modelZip as BlobPart, 'application/zip')} data-testid="download-model-zip">
                Download the submitted model (zip)
              </button>
            ) : (
              <button type="button" className="secondary" onClick={downloadModel} disabled={isBusy}>
                Download model (TF.js)
              </button>
            )}
            {predictionsCsv && (
              <button type="button" className="secondary" onClick={() => download('browser-baseline.csv', predictionsCsv, 'text/csv')}>
                Download predictions
              </button>
            )}
          </div>
          {!props.canSubmit && <p className="small muted">Submissions are closed for this challenge.</p>}
          {isModelPhase && (
            <div className="small" data-testid="predict-features">
              <p className="muted">
                The test set stays on the server, which runs this model on it and on every variation. To see what the model computes, predict any
                features file here (Arrow or CSV with <code>id</code> and the input columns): the same model, in this browser.
              </p>
              <label>
                Predict a features file in this browser{' '}
                <input
                  type="file"
                  accept=".arrow,.csv"
                  disabled={isBusy}
                  data-testid="predict-features-input"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void predictFeaturesFile(file);
                  }}
                />
              </label>
              {checkPredictions && (
                <button type="button" className="secondary" onClick={() => download(`browser-predictions-${checkPredictions.name}.csv`, checkPredictions.csv, 'text/csv')} data-testid="download-browser-predictions">
                  Download the {checkPredictions.rows.toLocaleString('en')} predictions
                </button>
              )}
            </div>
          )}
        </section>
      )}
      {submission && (
        <div className="success" role="status" data-testid="baseline-submitted">
          <p>
            Submitted {isModelPhase ? 'the model ' : ''}as a browser baseline. <Link href={`/submissions/${submission.id}`}>Its page</Link> has every score; see also{' '}
            <Link href="/submissions">My submissions</Link> and the <Link href={`/challenges/${props.challengeSlug}/leaderboard`}>leaderboard</Link>.
          </p>
          <LiveSubmissionCard submission={submission} />
        </div>
      )}
    </div>
  );
}
