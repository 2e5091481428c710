import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildStartingKitNotebook, notebookToScript, type StartingKitInput } from './build-starting-kit-notebook';

const python = '/usr/bin/python3';

const binary: StartingKitInput = {
  slug: 'higgs-tautau-toy',
  title: 'H→ττ toy',
  task: 'binary-classification',
  origin: 'http://127.0.0.1:3000',
  files: ['train.arrow', 'train.csv', 'train.root', 'test.arrow', 'test.csv', 'test.root'],
  featureColumns: ['PRI_lep_pt', 'DER_mass_vis'],
  missingValue: -25,
  variations: [],
  primaryMetric: { id: 'ams_best', label: 'AMS (best)' },
  isToy: true,
  licence: 'CC0-1.0',
};
const withVariations: StartingKitInput = {
  ...binary,
  slug: 'top-tagging-toy',
  files: ['train.arrow', 'train.csv', ...['test', 'test@ces_up', 'test@cer'].flatMap((t) => [`${t}.arrow`, `${t}.csv`])],
  variations: ['ces_up', 'cer'],
};
const interval: StartingKitInput = {
  ...binary,
  slug: 'higgs-signal-strength-toy',
  task: 'interval-estimation',
  files: ['train.arrow', 'train.csv', 'pseudo_experiments.arrow', 'pseudo_experiments.csv'],
  primaryMetric: { id: 'quantile_score', label: 'Quantile score' },
};

/** Runs Python on stdin with the notebook JSON in argv[1]; returns its output. */
function runPython(code: string, notebookJson: string) {
  const result = spawnSync(python, ['-c', code, notebookJson], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('buildStartingKitNotebook', () => {
  it.each([
    ['binary', binary],
    ['binary with systematic variations', withVariations],
    ['interval estimation', interval],
  ] as const)('writes valid nbformat 4 JSON whose code compiles as Python 3 (%s)', (_name, input) => {
    const notebook = buildStartingKitNotebook(input);
    const json = JSON.stringify(notebook);
    const check = runPython(
      [
        'import ast, json, sys, nbformat',
        'nb = nbformat.reads(sys.argv[1], as_version=4)',
        'nbformat.validate(nb)',
        'code = [c.source for c in nb.cells if c.cell_type == "code"]',
        'for source in code: ast.parse(source)',
        'print(len(nb.cells), len(code))',
      ].join('\n'),
      json,
    );
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const [cells, codeCells] = check.stdout.trim().split(' ').map(Number);
    expect(cells).toBe(notebook.cells.length);
    expect(codeCells).toBeGreaterThanOrEqual(6);
    // The whole script parses too, and it is what a test server runs end to end (tests/e2e/starting-kit.spec.ts).
    expect(runPython('import ast, sys; ast.parse(sys.argv[1])', notebookToScript(notebook)).status).toBe(0);
  });

  it('predicts every table the challenge scores, in its predictions header', () => {
    const binaryScript = notebookToScript(buildStartingKitNotebook(binary));
    expect(binaryScript).toContain('pd.DataFrame({"id": test["id"], "score":');
    const variationScript = notebookToScript(buildStartingKitNotebook(withVariations));
    expect(variationScript).toContain('[("nominal", "test"), ("ces_up", "test@ces_up"), ("cer", "test@cer")]');
    expect(variationScript).toContain('{"variation": variation, "id": events["id"], "score": scores}');
    const intervalScript = notebookToScript(buildStartingKitNotebook(interval));
    expect(intervalScript).toContain('load("pseudo_experiments")');
    for (const column of ['pe_id', 'mu_hat', 'delta_mu_hat', 'p16', 'p84']) expect(intervalScript).toContain(`"${column}":`);
  });

  it('points the notebook at this server and challenge, and never contains a token', () => {
    const notebook = buildStartingKitNotebook({ ...binary, origin: 'https://arena.example.org' });
    const script = notebookToScript(notebook);
    expect(script).toContain('os.environ.get("ARENA_URL", "https://arena.example.org")');
    expect(script).toContain('CHALLENGE = "higgs-tautau-toy"');
    expect(script).toContain('ARENA_TOKEN = os.environ.get("ARENA_TOKEN", "")');
    expect(JSON.stringify(notebook)).not.toMatch(/ha_[A-Za-z0-9]/);
  });

  it('reads CSV without pyarrow only where every needed table has a CSV, and says so otherwise', () => {
    const arrowOnly = notebookToScript(buildStartingKitNotebook({ ...withVariations, files: withVariations.files.filter((f) => f.endsWith('.arrow')) }));
    expect(arrowOnly).toContain('FORMAT = "none"');
    expect(arrowOnly).toContain('install pyarrow');
    expect(notebookToScript(buildStartingKitNotebook(binary))).toContain('FORMAT = "csv"');
  });

  it('refuses a dataset without the tables the task needs, naming them', () => {
    expect(() => buildStartingKitNotebook({ ...withVariations, files: ['train.csv', 'test.csv'] })).toThrow('has no test@ces_up, test@cer table');
  });
});
