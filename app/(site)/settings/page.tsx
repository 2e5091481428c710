import { redirect } from 'next/navigation';
import { formatDateTime } from '@/app/_components/format';
import { getRequestContext } from '@/lib/server/request-context';
import { getAccount } from '@/lib/server/users/get-account';
import { SignOutEverywhereForm } from './_components/sign-out-everywhere-form';
import { SettingsTabs } from './_components/settings-tabs';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Account settings' };

export default async function SettingsPage() {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/settings');
  const account = await getAccount(ctx);
  return (
    <article>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Account</h2>
      <dl className="facts" data-testid="account">
        <div>
          <dt>Name</dt>
          <dd>{account.name}</dd>
        </div>
        <div>
          <dt>E-mail</dt>
          <dd>{account.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd data-testid="account-role">{account.role}</dd>
        </div>
      </dl>
      <h2>Where you are signed in</h2>
      <p className="muted small">
        Each browser that signed in keeps a session for 30 days. Signing out everywhere ends all of them at once, this one
        included: use it when a device was lost or shared. Scripts that use an API token are not affected; revoke the token
        for that.
      </p>
      <table className="table" data-testid="sessions">
        <thead>
          <tr>
            <th>browser</th>
            <th>signed in</th>
            <th>expires</th>
          </tr>
        </thead>
        <tbody>
          {account.sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td className="small">{s.userAgent ?? 'unknown browser'}</td>
              <td className="small">{formatDateTime(s.createdAt)}</td>
              <td className="small">{formatDateTime(s.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SignOutEverywhereForm />
    </article>
  );
}
