import { redirect } from 'next/navigation';
import { formatDateTime } from '@/app/_components/format';
import { listApiTokens } from '@/lib/server/api-tokens/list-api-tokens';
import { getRequestContext } from '@/lib/server/request-context';
import { CreateTokenForm } from './_components/create-token-form';
import { RevokeTokenButton } from './_components/revoke-token-button';
import { SettingsTabs } from '../_components/settings-tabs';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'API tokens' };

export default async function ApiTokensPage() {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/settings/tokens');
  const tokens = await listApiTokens(ctx);
  return (
    <article>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>API tokens</h2>
      <p>
        A token lets a script or the <code>arena</code> CLI act as you: download data, submit predictions and follow their
        scores. Send it as <code>Authorization: Bearer &lt;token&gt;</code>, or set <code>ARENA_TOKEN</code> for{' '}
        <code>npm run arena -- submit --challenge &lt;slug&gt; --file predictions.csv --wait</code>. Treat it like a password
        and revoke it when a machine no longer needs it.
      </p>
      <CreateTokenForm />
      {tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table className="table" data-testid="api-tokens">
          <thead>
            <tr>
              <th>name</th>
              <th>token</th>
              <th>created</th>
              <th>last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="api-token-row" data-revoked={t.revokedAt ? 'true' : 'false'}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td className="small">{formatDateTime(t.createdAt)}</td>
                <td className="small">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">never</span>}</td>
                <td>
                  {t.revokedAt ? (
                    <span className="muted small">revoked {formatDateTime(t.revokedAt)}</span>
                  ) : (
                    <RevokeTokenButton tokenId={t.id} name={t.name} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
