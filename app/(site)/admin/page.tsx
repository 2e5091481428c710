import { redirect } from 'next/navigation';
import { ActionForm } from '@/app/_components/action-form';
import { formatDateTime } from '@/app/_components/format';
import { listAdminAuditEvents } from '@/lib/server/admin/list-admin-audit-events';
import { listUsers } from '@/lib/server/admin/list-users';
import { getRequestContext } from '@/lib/server/request-context';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { giveDatasetAction, grantDatasetAction, setDisabledAction, setRoleAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Administration' };

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/admin');
  if (ctx.user.role !== 'admin') {
    return (
      <article>
        <h1>Administration</h1>
        <p className="error" data-testid="admin-refused">
          Only admins can open this page. An admin (or the operator, with <code>npm run admin</code> on the server) can give your
          account a role.
        </p>
      </article>
    );
  }
  const search = parseRouteQuery('/admin', await searchParams).q ?? '';
  const [accounts, events] = await Promise.all([listUsers(ctx, { search }), listAdminAuditEvents(ctx, { limit: 50 })]);
  return (
    <article>
      <h1>Administration</h1>
      <p className="muted small">
        Roles, disabled accounts and dataset grants apply at the account&apos;s next request. Every change is in the log below. The
        same actions run on the server with <code>npm run admin</code>.
      </p>
      <form method="get" className="row">
        <input name="q" defaultValue={search} placeholder="e-mail or name" aria-label="Search accounts" />
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      <table className="table" data-testid="admin-users">
        <thead>
          <tr>
            <th>account</th>
            <th>role</th>
            <th>datasets</th>
            <th>state</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((u) => (
            <tr key={u.id} data-testid="admin-user-row" data-email={u.email}>
              <td>
                {u.name}
                <br />
                <span className="muted small">{u.email}</span>
              </td>
              <td>
                <ActionForm action={setRoleAction} hidden={{ email: u.email }} submitLabel="Set role" testId={`set-role-${u.id}`} isSecondary>
                  <select name="role" defaultValue={u.role} aria-label={`Role of ${u.email}`}>
                    <option value="participant">participant</option>
                    <option value="organiser">organiser</option>
                    <option value="admin">admin</option>
                  </select>
                </ActionForm>
              </td>
              <td className="small">
                {u.ownedDatasets.length > 0 && <div>owns {u.ownedDatasets.join(', ')}</div>}
                {u.grantedDatasets.length > 0 && <div>granted {u.grantedDatasets.join(', ')}</div>}
              </td>
              <td>
                <ActionForm
                  action={setDisabledAction}
                  hidden={{ email: u.email, disabled: u.isDisabled ? 'false' : 'true' }}
                  submitLabel={u.isDisabled ? 'Enable' : 'Disable'}
                  confirmText={u.isDisabled ? undefined : `Disable ${u.email}? Their sessions end and their API tokens stop working at once.`}
                  testId={`set-disabled-${u.id}`}
                  isSecondary
                />
                {u.isDisabled && <span className="error small">disabled</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Datasets</h2>
      <ActionForm action={grantDatasetAction} hidden={{}} submitLabel="Grant" testId="grant-dataset">
        <input name="dataset" placeholder="dataset id" aria-label="Dataset" required />
        <input name="email" type="email" placeholder="organiser e-mail" aria-label="Grant to" required />
        <label className="small">
          <input type="checkbox" name="revoke" value="true" /> revoke instead
        </label>
      </ActionForm>
      <ActionForm action={giveDatasetAction} hidden={{}} submitLabel="Set owner" testId="give-dataset" isSecondary>
        <input name="dataset" placeholder="dataset id" aria-label="Dataset to give" required />
        <input name="email" type="email" placeholder="new owner e-mail (empty: the platform)" aria-label="New owner" />
      </ActionForm>

      <h2>Log</h2>
      <table className="table" data-testid="admin-audit">
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-testid="admin-audit-event" data-action={e.action}>
              <td className="small">{formatDateTime(e.createdAt)}</td>
              <td>{e.action}</td>
              <td className="small">{e.target}</td>
              <td className="small">{e.actorName ?? 'unknown'}</td>
              <td className="small">
                <code>{JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
