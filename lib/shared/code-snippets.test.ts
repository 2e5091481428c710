import { describe, expect, it } from 'vitest';
import { buildDataSnippets, fileSnippetIds, getPredictionColumns, rootTreeNameOf, submitSnippetIds, toVariableName } from './code-snippets';

const files = [
  { name: 'train.arrow', format: 'arrow', sha256: 'a'.repeat(64) },
  { name: 'test.parquet', format: 'parquet' },
  { name: 'test.csv', format: 'csv' },
  { name: 'test@jes_up.arrow', format: 'arrow' },
  { name: 'train.root', format: 'root' },
  { name: 'test@jes_up.root', format: 'root' },
];
const origin = 'https://arena.example.org/';

describe('getPredictionColumns', () => {
  it('asks for id,score, variation,id,score or the interval columns depending on the task', () => {
    expect(getPredictionColumns('binary-classification')).toEqual(['id', 'score']);
    expect(getPredictionColumns('binary-classification', ['jes_up'])).toEqual(['variation', 'id', 'score']);
    expect(getPredictionColumns('interval-estimation')).toEqual(['pe_id', 'mu_hat', 'delta_mu_hat', 'p16', 'p84']);
  });

  it('refuses a task it has no format for', () => {
    expect(() => getPredictionColumns('regression')).toThrow(/regression/);
  });
});

describe('buildDataSnippets', () => {
  const snippets = buildDataSnippets({ slug: 'higgs-tautau-toy', origin, files, columns: ['id', 'score'] });

  it('gives every file every loader, in the same order, each naming the file', () => {
    expect(snippets.files.map((f) => f.name)).toEqual(files.map((f) => f.name));
    for (const file of snippets.files) {
      expect(file.snippets.map((s) => s.id)).toEqual([...fileSnippetIds]);
      for (const snippet of file.snippets) expect(snippet.code, `${file.name} ${snippet.id}`).toContain(snippet.id === 'curl' ? encodeURIComponent(file.name) : file.name);
    }
  });

  it('uses the reader that matches each format', () => {
    const code = (name: string, id: string) => snippets.files.find((f) => f.name === name)?.snippets.find((s) => s.id === id)?.code ?? '';
    expect(code('train.arrow', 'pandas')).toContain('pd.read_feather("train.arrow")');
    expect(code('train.arrow', 'pyarrow')).toContain('pa.ipc.open_file(source)');
    expect(code('train.arrow', 'polars')).toContain('pl.read_ipc("train.arrow")');
    expect(code('train.arrow', 'root')).toContain('ROOT.RDF.FromNumpy');
    expect(code('train.arrow', 'javascript')).toContain('tableFromIPC(readFileSync("train.arrow"))');
    expect(code('test.parquet', 'pandas')).toContain('pd.read_parquet("test.parquet")');
    expect(code('test.parquet', 'polars')).toContain('pl.read_parquet("test.parquet")');
    expect(code('test.parquet', 'pyarrow')).toContain('pq.read_table("test.parquet")');
    expect(code('test.csv', 'pandas')).toContain('pd.read_csv("test.csv")');
    expect(code('test.csv', 'root')).toContain('ROOT.RDF.FromCSV("test.csv")');
    expect(code('test@jes_up.arrow', 'pandas')).toContain('test_jes_up = pd.read_feather("test@jes_up.arrow")');
  });

  it('opens the ROOT exports by their tree with RDataFrame, TFile, uproot and jsroot', () => {
    const code = (name: string, id: string) => snippets.files.find((f) => f.name === name)?.snippets.find((s) => s.id === id)?.code ?? '';
    expect(code('train.root', 'root')).toContain('train = ROOT.RDataFrame("train", "train.root")');
    expect(code('train.root', 'root')).toContain('ROOT.TFile.Open("train.root")');
    expect(code('test@jes_up.root', 'root')).toContain('ROOT.RDataFrame("test_jes_up", "test@jes_up.root")');
    expect(code('train.root', 'pandas')).toContain('train = uproot.open("train.root")["train"].arrays(library="pd")');
    expect(code('test@jes_up.root', 'pyarrow')).toContain('ak.to_arrow_table(uproot.open("test@jes_up.root")["test_jes_up"].arrays())');
    expect(code('train.root', 'polars')).toContain('pl.from_pandas(uproot.open("train.root")["train"].arrays(library="pd"))');
    expect(code('train.root', 'javascript')).toContain(`readObject("train")`);
    expect(code('train.root', 'javascript')).toContain('treeProcess(tree, selector)');
    expect(rootTreeNameOf('test@tes_up.root')).toBe('test_tes_up');
    expect(rootTreeNameOf('2014.root')).toBe('t_2014');
  });

  it('downloads with the API token from the v1 files route and checks the checksum when it is known', () => {
    const curl = snippets.files[0]?.snippets.find((s) => s.id === 'curl')?.code ?? '';
    expect(curl).toContain('-H "Authorization: Bearer $ARENA_TOKEN"');
    expect(curl).toContain('"https://arena.example.org/api/v1/challenges/higgs-tautau-toy/files/train.arrow"');
    expect(curl).toContain(`echo "${'a'.repeat(64)}  train.arrow" | sha256sum -c -`);
    expect(snippets.files[3]?.snippets.find((s) => s.id === 'curl')?.code).toContain('/files/test%40jes_up.arrow');
  });

  it('submits with curl --data-binary and with the CLI', () => {
    expect(snippets.submit.map((s) => s.id)).toEqual([...submitSnippetIds]);
    const code = (id: string) => snippets.submit.find((s) => s.id === id)?.code ?? '';
    expect(code('curl-submit')).toContain(
      'curl -H "Authorization: Bearer $ARENA_TOKEN" --data-binary @predictions.csv \\\n  "https://arena.example.org/api/v1/challenges/higgs-tautau-toy/submissions?fileName=predictions.csv"',
    );
    expect(code('cli-submit')).toContain('npm run arena -- submit --challenge higgs-tautau-toy --file predictions.csv --wait');
    expect(code('cli-submit')).toContain('export ARENA_URL=https://arena.example.org');
  });

  it.each([
    ['binary-classification', []],
    ['binary-classification', ['jes_up', 'jes_down']],
    ['interval-estimation', []],
  ] as const)('shows the columns of a %s task (variations %j) in the predictions snippets', (task, variations) => {
    const columns = getPredictionColumns(task, variations);
    const built = buildDataSnippets({ slug: 's', origin, files, columns, variationNames: variations });
    const header = columns.join(',');
    for (const id of submitSnippetIds) expect(built.submit.find((s) => s.id === id)?.code, id).toContain(header);
    const writer = built.submit.find((s) => s.id === 'write-predictions')?.code ?? '';
    for (const column of columns) expect(writer).toContain(`"${column}"`);
    for (const variation of variations) expect(writer).toContain(`"${variation}": test_${variation}`);
  });
});

describe('toVariableName', () => {
  it('turns file names into identifiers', () => {
    expect(toVariableName('train.arrow')).toBe('train');
    expect(toVariableName('test@jes_up.csv.gz')).toBe('test_jes_up');
    expect(toVariableName('2014-train.parquet')).toBe('data_2014_train');
  });
});
