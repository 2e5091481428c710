import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

describe('README "Score a file offline"', () => {
  it('prints exactly the JSON the README shows for the example files', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Score a file offline'));
    const command = /```sh\n(npm run --silent score -- [^\n]+)\n```/.exec(section)?.[1];
    const shown = /```json\n([^\n]+)\n```/.exec(section)?.[1];
    expect(command).toBeDefined();
    expect(shown).toBeDefined();
    const args = (command ?? '').replace('npm run --silent score -- ', '').split(' ');
    const printed = execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['lib/pipeline/score-cli.ts', ...args], { cwd: root, encoding: 'utf8' });
    expect(printed.trim()).toBe(shown);
  });
});
