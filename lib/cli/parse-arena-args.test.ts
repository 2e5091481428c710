import { describe, expect, it } from 'vitest';
import { parseArenaArgs } from './parse-arena-args';
import { UsageError } from './usage-error';

const token = `ha_${'a'.repeat(43)}`;
const env = { ARENA_TOKEN: token };

describe('parseArenaArgs', () => {
  it('reads submit --model as a model upload of that file', () => {
    expect(parseArenaArgs(['submit', '--challenge', 'top-tagging-model-toy', '--model', 'model.onnx', '--wait'], env).command).toEqual({
      name: 'submit',
      challenge: 'top-tagging-model-toy',
      file: 'model.onnx',
      fileName: null,
      description: null,
      phase: null,
      wait: true,
      timeoutSeconds: 600,
      kind: 'model',
    });
  });

  it('reads a submit command with its options in any order, taking the token from ARENA_TOKEN and the default URL', () => {
    expect(parseArenaArgs(['submit', '--file', 'preds.csv', '--wait', '--challenge=higgs-tautau-toy', '--phase', 'open'], env)).toEqual({
      command: { name: 'submit', challenge: 'higgs-tautau-toy', file: 'preds.csv', fileName: null, description: null, phase: 'open', wait: true, timeoutSeconds: 600 },
      url: 'http://127.0.0.1:3000',
      token,
      json: false,
    });
  });

  it('prefers --url and --token over ARENA_URL and ARENA_TOKEN, and drops a trailing slash of the URL', () => {
    const parsed = parseArenaArgs(['--url', 'https://arena.example.org/', '--token', 'ha_other', 'status', 'abc'], { ...env, ARENA_URL: 'http://ignored' });
    expect(parsed).toMatchObject({ url: 'https://arena.example.org', token: 'ha_other', command: { name: 'status', id: 'abc' } });
  });

  it('lets challenges and leaderboard run without a token, with --json and a split', () => {
    expect(parseArenaArgs(['challenges', '--json'], {})).toMatchObject({ command: { name: 'challenges' }, token: null, json: true });
    expect(parseArenaArgs(['leaderboard', '--challenge', 'x', '--split', 'private'], {}).command).toEqual({ name: 'leaderboard', challenge: 'x', phase: null, split: 'private' });
  });

  it('accepts "-" as the download destination (standard output)', () => {
    expect(parseArenaArgs(['download', '--challenge', 'x', '--file', 'test.csv', '--out', '-'], env).command).toEqual({ name: 'download', challenge: 'x', file: 'test.csv', out: '-' });
  });

  it('answers help for no command, "help", --help and -h', () => {
    for (const argv of [[], ['help'], ['--help'], ['submit', '-h']]) expect(parseArenaArgs(argv, {}).command).toEqual({ name: 'help' });
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"; the commands are challenges, submit, status, download, leaderboard/],
    [['submit', '--file', 'p.csv'], /submit needs --challenge <slug>/],
    [['submit', '--challenge', 'x'], /submit needs --file <file>/],
    [['submit', '--challenge', 'x', '--file'], /--file needs a value/],
    [['submit', '--challenge', 'x', '--file', 'p.csv', '--split', 'public'], /submit takes no option --split/],
    [['submit', '--challenge', 'x', '--file', 'p.csv', '--timeout', '10'], /--timeout only applies with --wait/],
    [['submit', '--challenge', 'x', '--file', 'p.csv', '--model', 'm.onnx'], /either --file .* or --model/],
    [['submit', '--challenge', 'x', '--file', 'p.csv', '--wait', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [['status'], /status needs a submission id/],
    [['status', 'a', 'b'], /Unexpected argument "b"/],
    [['leaderboard', '--challenge', 'x', '--split', 'secret'], /--split must be "public" or "private"/],
    [['challenges', '--url', 'ftp://x'], /must start with http:\/\/ or https:\/\//],
    [['challenges', '--url', 'not a url'], /must be an http\(s\) URL/],
  ])('refuses %j with a message saying what to fix', (argv, message) => {
    expect(() => parseArenaArgs(argv, env)).toThrow(message);
  });

  it('refuses commands that act as you without a token, saying where to create one', () => {
    for (const argv of [['submit', '--challenge', 'x', '--file', 'p.csv'], ['status', 'id'], ['download', '--challenge', 'x', '--file', 'test.csv']]) {
      const run = () => parseArenaArgs(argv, { ARENA_URL: 'http://arena.test:3000' });
      expect(run).toThrow(UsageError);
      expect(run).toThrow(/needs an API token: set ARENA_TOKEN or pass --token \(create one at http:\/\/arena\.test:3000\/settings\/tokens\)/);
    }
  });
});
