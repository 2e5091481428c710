import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Score a file offline'), readme.indexOf('## Build a dataset'));
// Every `npm run --silent score` block of the section is followed by the JSON block it prints.
const examples = [...section.matchAll(/```sh\n(npm run --silent score -- [^\n]+)\n```[\s\S]*?```json\n([^\n]+)\n```/g)].map((m) => ({
  command: m[1] ?? '',
  shown: m[2] ?? '',
}));

describe('README "Score a file offline"', () => {
  it('has the binary, the interval and the tracking example', () => {
    expect(examples.map((e) => /--task (\w+)/.exec(e.command)?.[1])).toEqual(['binary', 'interval', 'tracking']);
  });

  it.each(examples)('prints exactly the JSON the README shows for: $command', ({ command, shown }) => {
    const args = command.replace('npm run --silent score -- ', '').split(' ');
    const printed = execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['lib/pipeline/score-cli.ts', ...args], { cwd: root, encoding: 'utf8' });
    expect(printed.trim()).toBe(shown);
  });
});
