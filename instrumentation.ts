// Runs once when the Next server starts: migrations, seeds and the scoring queue come up before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startPlatform } = await import('@/lib/server/boot/start-platform');
  await startPlatform();
}
