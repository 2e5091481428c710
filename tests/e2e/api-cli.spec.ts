import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { massWindowPredictions, runArena, signIn } from './support/journeys';

const slug = 'higgs-tautau-toy';
const demo = { email: 'participant@hep-arena.local', password: 'participant-demo-2026', name: 'Demo Participant' };

test('a participant creates an API token, submits with the arena CLI and waits for the scores; a revoked token is refused', async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL ?? '';
  expect(baseURL).not.toBe('');

  await signIn(page, demo.email, demo.password, '/settings/tokens');
  await expect(page.getByTestId('signed-in-as')).toContainText(demo.name);
  await expect(page.getByTestId('token-name')).toBeVisible();

  const tokenName = `e2e-cli-${Date.now() % 100000}`;
  await page.getByTestId('token-name').fill(tokenName);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
  expect(token).toMatch(/^ha_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId('api-token-row').filter({ hasText: tokenName });
  await expect(row).toContainText(token.slice(0, 8));
  // The list shows only the prefix: the token itself is on the page once, in the creation notice.
  await expect(row).not.toContainText(token);

  // `request` shares no cookies with the page: everything below is authorised by the token alone.
  const bearer = { authorization: `Bearer ${token}` };
  const challenges = await request.get('/api/v1/challenges', { headers: bearer });
  expect(challenges.status()).toBe(200);
  expect((await challenges.json()).map((c: { slug: string }) => c.slug)).toContain(slug);
  const challenge = await (await request.get(`/api/v1/challenges/${slug}`, { headers: bearer })).json();
  expect(challenge.submission.columns).toEqual(['id', 'score']);
  const testFile = challenge.files.find((f: { name: string }) => f.name === 'test.csv');
  expect(testFile?.url).toBe(`${baseURL}/api/v1/challenges/${slug}/files/test.csv`);
  const testCsv = await request.get(`/api/v1/challenges/${slug}/files/test.csv`, { headers: bearer });
  expect(testCsv.status()).toBe(200);
  const predictionsPath = testInfo.outputPath('predictions.csv');
  fs.writeFileSync(predictionsPath, massWindowPredictions(await testCsv.text()));

  const submitted = await runArena(['submit', '--challenge', slug, '--file', predictionsPath, '--wait', '--timeout', '120'], { url: baseURL, token });
  expect(submitted.stderr).toContain('Accepted as submission');
  expect(submitted.code, `${submitted.stdout}\n${submitted.stderr}`).toBe(0);
  expect(submitted.stdout).toContain('status scored');
  expect(submitted.stdout).toMatch(/Best AMS\s+\d+\.\d{4}\s+\d+\.\d{4}–\d+\.\d{4}/);
  const submissionId = /Submission ([0-9a-f-]{36})/.exec(submitted.stdout)?.[1] ?? '';
  expect(submissionId).not.toBe('');

  const mine = await (await request.get(`/api/v1/me/submissions?challenge=${slug}`, { headers: bearer })).json();
  expect(mine.find((s: { id: string }) => s.id === submissionId)).toMatchObject({ source: 'api', status: 'scored', fileName: 'predictions.csv' });
  const board = await runArena(['leaderboard', '--challenge', slug], { url: baseURL, token });
  expect(board.code).toBe(0);
  expect(board.stdout).toContain(`* ${demo.name}`);

  // A signed-in browser session may use the API too, but not from another site.
  const crossSite = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=x.csv`, {
    headers: { origin: 'https://evil.example', 'content-type': 'text/csv' },
    data: 'id,score\n',
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error.message).toContain('cross-site request refused');

  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: `Revoke ${tokenName}` }).click();
  await expect(row).toHaveAttribute('data-revoked', 'true');
  const refused = await request.get('/api/v1/challenges', { headers: bearer });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toContain('invalid or has been revoked');
  const status = await runArena(['status', submissionId], { url: baseURL, token });
  expect(status.code).toBe(2);
  expect(status.stderr).toContain('invalid or has been revoked');
});
