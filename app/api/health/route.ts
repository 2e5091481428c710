// GET /api/health: the database answers and the server has started.
import { checkHealth } from '@/lib/server/health/check-health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
