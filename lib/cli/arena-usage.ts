/** `arena --help`; also printed after a usage error. */
export const arenaUsage = `arena — command-line client of HEP Arena

Usage: npm run arena -- <command> [options]

Commands:
  challenges                                  list the challenges and their open phase
  submit --challenge <slug> --file <path>     upload a predictions file (CSV, Arrow IPC or Parquet, gzip ok)
  submit --challenge <slug> --model <path>    upload a model instead (ONNX, or TF.js model.json + weights zipped),
                                              for phases that take models; it runs on the server's hidden test sets
         [--name <file name>]                 name shown in your submissions (default: the file's name)
         [--description <text>]               a short note on this entry (up to 500 characters), shown on
                                              My submissions, the submission page and in exports
         [--phase <key>]                      refuse unless <key> is the open phase
         [--wait] [--timeout <seconds>]       wait until scored or failed (default 600 s) and print the scores
  status <submission-id>                      status, public scores or the error of a submission
  download --challenge <slug> --file <name>   download a dataset file, e.g. test.csv (checked against its sha256)
         [--out <path> | --out -]             where to write it (default: ./<name>; "-" = standard output)
  leaderboard --challenge <slug>              the leaderboard of the open (or latest) phase
         [--phase <key>] [--split public|private]

Options:
  --url <url>       server (default: $ARENA_URL, else http://127.0.0.1:3000)
  --token <token>   API token (default: $ARENA_TOKEN; prefer the variable, arguments show up in ps)
                    create one under Settings → API tokens (<url>/settings/tokens)

Relative paths (--file, --out) are taken from the folder you run the command in.
  --json            print the server's JSON instead of text
  -h, --help        show this text

Exit codes: 0 done (with --wait: scored), 1 the submission failed, 2 usage, HTTP or network error, or --wait
timed out.

Examples:
  export ARENA_URL=http://127.0.0.1:3000 ARENA_TOKEN=ha_…
  npm run arena -- download --challenge higgs-tautau-toy --file test.csv
  npm run arena -- submit --challenge higgs-tautau-toy --file predictions.csv --wait
  npm run arena -- submit --challenge top-tagging-model-toy --model model.onnx --wait
  npm run arena -- leaderboard --challenge higgs-tautau-toy
`;
