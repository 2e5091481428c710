/**
 * Copy-paste code for the data page: how to load every downloadable file (pandas, pyarrow, polars, ROOT,
 * JavaScript), how to fetch it with an API token, and how to write and submit a predictions file with the columns
 * the challenge's task expects. Generated from the challenge so a renamed file or a new variation never leaves a
 * stale snippet behind.
 */

import { rootExportTreeName } from './formats/root-export-tree-name';

export type SnippetLanguage = 'python' | 'javascript' | 'shell';

/** Loaders every file gets, in display order. */
export const fileSnippetIds = ['pandas', 'pyarrow', 'polars', 'root', 'javascript', 'curl'] as const;
export type FileSnippetId = (typeof fileSnippetIds)[number];

/** How to produce and upload predictions, in display order. */
export const submitSnippetIds = ['write-predictions', 'curl-submit', 'cli-submit'] as const;
export type SubmitSnippetId = (typeof submitSnippetIds)[number];

export type CodeSnippet<Id extends string = string> = { id: Id; label: string; language: SnippetLanguage; code: string };

export type SnippetFile = { name: string; format: string; sha256?: string };

export type DataSnippets = {
  files: Array<{ name: string; format: SnippetFormat; snippets: CodeSnippet<FileSnippetId>[] }>;
  submit: CodeSnippet<SubmitSnippetId>[];
};

type SnippetFormat = 'arrow' | 'parquet' | 'csv' | 'root';

/** Predictions columns of the interval-estimation task, one row per pseudo-experiment. */
const INTERVAL_COLUMNS = ['pe_id', 'mu_hat', 'delta_mu_hat', 'p16', 'p84'];

/**
 * The header a predictions file must have: `id,score` for a binary task, `variation,id,score` when the challenge
 * also scores systematic variations, `pe_id,mu_hat,delta_mu_hat,p16,p84` for interval estimation.
 *
 * @throws {Error} for a task this platform does not know (a programming error, not user input).
 */
export function getPredictionColumns(task: string, variationNames: readonly string[] = []): string[] {
  if (task === 'binary-classification') return variationNames.length > 0 ? ['variation', 'id', 'score'] : ['id', 'score'];
  if (task === 'interval-estimation') return [...INTERVAL_COLUMNS];
  throw new Error(`No predictions format for the task "${task}".`);
}

function formatOf(file: SnippetFile): SnippetFormat {
  const hint = `${file.format} ${file.name}`.toLowerCase();
  if (/^root\b|\.root$/.test(hint)) return 'root';
  if (/\bparquet\b|\.parquet/.test(hint)) return 'parquet';
  if (/\bcsv\b|\.csv/.test(hint)) return 'csv';
  return 'arrow';
}

/** `test@jes_up.arrow` → `test_jes_up`: a variable name that is valid in Python and JavaScript. */
export function toVariableName(fileName: string): string {
  const stem = fileName.replace(/\.(arrow|feather|ipc|parquet|csv|root)(\.gz)?$/i, '');
  const name = stem.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'data';
  return /^[0-9]/.test(name) ? `data_${name}` : name;
}

const quote = (text: string) => JSON.stringify(text);

/** The TTree of a `.root` export (train.root → train, test@tes_up.root → test_tes_up). */
export const rootTreeNameOf = rootExportTreeName;

/** `uproot.open(file)[tree]`: the uproot expression for a tree of a ROOT export. */
const uprootTree = (file: string) => `uproot.open(${quote(file)})[${quote(rootTreeNameOf(file))}]`;

function pandasSnippet(file: string, format: SnippetFormat, v: string): string {
  if (format === 'root') return `import uproot  # pip install uproot awkward pandas\n\n${v} = ${uprootTree(file)}.arrays(library="pd")\nprint(${v}.shape)\nprint(${v}.head())`;
  const reader = { arrow: 'read_feather', parquet: 'read_parquet', csv: 'read_csv' }[format];
  const note = format === 'arrow' ? '  # Arrow IPC file = Feather v2; needs pyarrow' : '';
  return `import pandas as pd\n\n${v} = pd.${reader}(${quote(file)})${note}\nprint(${v}.shape)\nprint(${v}.head())`;
}

function pyarrowSnippet(file: string, format: SnippetFormat, v: string): string {
  if (format === 'root') return `import awkward as ak\nimport uproot  # pip install uproot awkward pyarrow\n\n${v} = ak.to_arrow_table(${uprootTree(file)}.arrays())\nprint(${v}.num_rows, ${v}.schema)`;
  if (format === 'arrow') {
    return `import pyarrow as pa\n\nwith pa.memory_map(${quote(file)}) as source:\n    ${v} = pa.ipc.open_file(source).read_all()\nprint(${v}.num_rows, ${v}.schema)`;
  }
  if (format === 'parquet') return `import pyarrow.parquet as pq\n\n${v} = pq.read_table(${quote(file)})\nprint(${v}.num_rows, ${v}.schema)`;
  return `import pyarrow.csv as pacsv\n\n${v} = pacsv.read_csv(${quote(file)})\nprint(${v}.num_rows, ${v}.schema)`;
}

function polarsSnippet(file: string, format: SnippetFormat, v: string): string {
  if (format === 'root') return `import polars as pl\nimport uproot  # pip install uproot awkward pandas\n\n${v} = pl.from_pandas(${uprootTree(file)}.arrays(library="pd"))\nprint(${v}.shape)\nprint(${v}.head())`;
  const reader = { arrow: 'read_ipc', parquet: 'read_parquet', csv: 'read_csv' }[format];
  return `import polars as pl\n\n${v} = pl.${reader}(${quote(file)})\nprint(${v}.shape)\nprint(${v}.head())`;
}

function rootSnippet(file: string, format: SnippetFormat, v: string): string {
  if (format === 'root') {
    const tree = quote(rootTreeNameOf(file));
    return [
      'import ROOT',
      '',
      `# One TTree, ${tree}, with a branch per column.`,
      `${v} = ROOT.RDataFrame(${tree}, ${quote(file)})`,
      `print(${v}.Count().GetValue(), list(${v}.GetColumnNames()))`,
      '',
      '# or the tree itself, through TFile:',
      `f = ROOT.TFile.Open(${quote(file)})`,
      `f.Get(${tree}).Print()`,
    ].join('\n');
  }
  if (format === 'csv') return `import ROOT\n\n${v} = ROOT.RDF.FromCSV(${quote(file)})\nprint(${v}.Count().GetValue(), list(${v}.GetColumnNames()))`;
  const read =
    format === 'arrow'
      ? `import pyarrow as pa\n\nwith pa.memory_map(${quote(file)}) as source:\n    table = pa.ipc.open_file(source).read_all()`
      : `import pyarrow.parquet as pq\n\ntable = pq.read_table(${quote(file)})`;
  return [
    `import ROOT\n${read}`,
    '',
    '# ROOT.RDF.FromArrow takes a C++ arrow::Table; from Python, hand the numeric columns over as NumPy arrays.',
    'import pyarrow.types as pat',
    `columns = {f.name: table[f.name].to_numpy() for f in table.schema if pat.is_integer(f.type) or pat.is_floating(f.type)}`,
    `${v} = ROOT.RDF.FromNumpy(columns)`,
    `print(${v}.Count().GetValue(), list(${v}.GetColumnNames()))`,
  ].join('\n');
}

function javascriptSnippet(file: string, format: SnippetFormat, v: string): string {
  if (format === 'root') {
    return [
      '// npm install jsroot; run as an ES module (load.mjs)',
      "import { openFile } from 'jsroot';",
      "import { TSelector, treeProcess } from 'jsroot/tree';",
      '',
      `const tree = await (await openFile(${quote(file)})).readObject(${quote(rootTreeNameOf(file))});`,
      'const selector = new TSelector();',
      'for (const branch of tree.fBranches.arr) selector.addBranch(branch.fName, branch.fName);',
      `const ${v} = [];`,
      `selector.Process = function () { ${v}.push({ ...this.tgtobj }); };`,
      'await treeProcess(tree, selector);',
      `console.log(${v}.length, Object.keys(${v}[0] ?? {}));`,
    ].join('\n');
  }
  if (format === 'arrow') {
    return `// npm install apache-arrow; run as an ES module (load.mjs)\nimport { readFileSync } from 'node:fs';\nimport { tableFromIPC } from 'apache-arrow';\n\nconst ${v} = tableFromIPC(readFileSync(${quote(file)}));\nconsole.log(${v}.numRows, ${v}.schema.fields.map((f) => f.name));`;
  }
  if (format === 'parquet') {
    return `// npm install hyparquet hyparquet-compressors; run as an ES module (load.mjs)\nimport { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';\nimport { compressors } from 'hyparquet-compressors';\n\nconst ${v} = await parquetReadObjects({ file: await asyncBufferFromFile(${quote(file)}), compressors });\nconsole.log(${v}.length, Object.keys(${v}[0] ?? {}));`;
  }
  return `// Plain numeric CSV (no quoting, header on line 1); run as an ES module (load.mjs)\nimport { readFileSync } from 'node:fs';\n\nconst [header, ...lines] = readFileSync(${quote(file)}, 'utf8').trim().split(/\\r?\\n/);\nconst names = header.split(',');\nconst ${v} = lines.map((line) => Object.fromEntries(line.split(',').map((x, k) => [names[k], Number(x)])));\nconsole.log(${v}.length, names);`;
}

function curlDownloadSnippet(origin: string, slug: string, file: SnippetFile): string {
  const url = `${origin}/api/v1/challenges/${encodeURIComponent(slug)}/files/${encodeURIComponent(file.name)}`;
  const lines = [
    '# ARENA_TOKEN: an API token from Settings → API tokens',
    `curl -fL -H "Authorization: Bearer $ARENA_TOKEN" \\\n  -o ${shellWord(file.name)} "${url}"`,
  ];
  if (file.sha256) lines.push(`echo "${file.sha256}  ${file.name}" | sha256sum -c -`);
  return lines.join('\n');
}

/** A file name as one shell word (names are [A-Za-z0-9@._-] in practice; anything else is single-quoted). */
function shellWord(text: string): string {
  return /^[A-Za-z0-9@._/-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function writePredictionsSnippet(columns: readonly string[], variationNames: readonly string[]): string {
  const header = columns.join(',');
  if (columns[0] === 'pe_id') {
    return [
      'import pandas as pd',
      '',
      '# One row per pseudo-experiment: your estimate of mu, its uncertainty and the 16th/84th percentiles.',
      'predictions = pd.DataFrame({',
      ...columns.map((c) => `    ${quote(c)}: ${c === 'pe_id' ? 'pe_ids' : c},`),
      '})',
      `predictions.to_csv("predictions.csv", index=False)  # header: ${header}`,
    ].join('\n');
  }
  if (columns[0] === 'variation') {
    const sets = ['nominal', ...variationNames].map((name) => `    ${quote(name)}: ${name === 'nominal' ? 'test' : toVariableName(`test@${name}`)},`);
    return [
      'import pandas as pd',
      '',
      '# One block of rows per test set: "nominal" (test) and every systematic variation (test@<name>).',
      '# model_scores(frame) is your classifier: one score in [0, 1] per row.',
      'test_sets = {',
      ...sets,
      '}',
      'predictions = pd.concat(',
      `    pd.DataFrame({"variation": name, "id": frame["id"], "score": model_scores(frame)}) for name, frame in test_sets.items()`,
      ')',
      `predictions.to_csv("predictions.csv", index=False)  # header: ${header}`,
    ].join('\n');
  }
  return [
    'import pandas as pd',
    '',
    '# test: the test set loaded above; scores: your classifier output in [0, 1], one per row of test.',
    `predictions = pd.DataFrame({${columns.map((c) => `${quote(c)}: ${c === 'id' ? 'test["id"]' : 'scores'}`).join(', ')}})`,
    `predictions.to_csv("predictions.csv", index=False)  # header: ${header}`,
  ].join('\n');
}

/**
 * Every snippet of the data page.
 *
 * @param input.origin  where the platform is served, e.g. `https://arena.example.org` (no trailing slash needed)
 * @param input.columns the predictions header from {@link getPredictionColumns}
 * @param input.variationNames systematic variations the predictions must also cover (binary tasks)
 * @example
 * ```ts
 * buildDataSnippets({ slug: 'higgs-tautau-toy', origin: 'http://localhost:3000', files: [{ name: 'test.arrow', format: 'arrow' }], columns: ['id', 'score'] })
 *   .files[0].snippets.map((s) => s.id); // → ['pandas', 'pyarrow', 'polars', 'root', 'javascript', 'curl']
 * ```
 */
export function buildDataSnippets(input: {
  slug: string;
  origin: string;
  files: readonly SnippetFile[];
  columns: readonly string[];
  variationNames?: readonly string[];
}): DataSnippets {
  const origin = input.origin.replace(/\/+$/, '');
  const files = input.files.map((file) => {
    const format = formatOf(file);
    const v = toVariableName(file.name);
    const snippets: CodeSnippet<FileSnippetId>[] = [
      { id: 'pandas', label: 'pandas', language: 'python', code: pandasSnippet(file.name, format, v) },
      { id: 'pyarrow', label: 'pyarrow', language: 'python', code: pyarrowSnippet(file.name, format, v) },
      { id: 'polars', label: 'polars', language: 'python', code: polarsSnippet(file.name, format, v) },
      { id: 'root', label: 'ROOT', language: 'python', code: rootSnippet(file.name, format, v) },
      { id: 'javascript', label: 'JavaScript', language: 'javascript', code: javascriptSnippet(file.name, format, v) },
      { id: 'curl', label: 'curl', language: 'shell', code: curlDownloadSnippet(origin, input.slug, file) },
    ];
    return { name: file.name, format, snippets };
  });
  const header = input.columns.join(',');
  const submitUrl = `${origin}/api/v1/challenges/${encodeURIComponent(input.slug)}/submissions?fileName=predictions.csv`;
  const submit: CodeSnippet<SubmitSnippetId>[] = [
    { id: 'write-predictions', label: 'Write predictions.csv', language: 'python', code: writePredictionsSnippet(input.columns, input.variationNames ?? []) },
    {
      id: 'curl-submit',
      label: 'Submit with curl',
      language: 'shell',
      code: [
        `# predictions.csv: header ${header}; also accepted: .arrow, .parquet, optionally gzipped (.csv.gz …)`,
        `curl -H "Authorization: Bearer $ARENA_TOKEN" --data-binary @predictions.csv \\\n  "${submitUrl}"`,
        '# → 202 with the submission as JSON (id, status); a rejected file → {"error": {"code", "message", "details"}}',
      ].join('\n'),
    },
    {
      id: 'cli-submit',
      label: 'Submit with the arena CLI',
      language: 'shell',
      code: [
        `export ARENA_URL=${origin}`,
        'export ARENA_TOKEN=…   # Settings → API tokens',
        `npm run arena -- submit --challenge ${input.slug} --file predictions.csv --wait`,
        `# --wait follows the submission until it is scored or failed; the file's header must be ${header}`,
      ].join('\n'),
    },
  ];
  return { files, submit };
}
