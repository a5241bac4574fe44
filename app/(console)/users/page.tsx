import { ActionForm } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { currentDatabase } from '@/db/client';
import { listUsers } from '@/db/queries/users';
import { requireRole } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { addUserAction, changeRoleAction, resetPasswordAction, setDisabledAction } from './actions';
import { AddUserForm } from './add-user-form';

const smallInput = 'rounded-md border border-slate-300 px-2 py-1 text-sm';

export default async function UsersPage() {
  const me = await requireRole('admin');
  const { t, locale } = await getT();
  const users = await listUsers(currentDatabase().db);
  const dateFormat = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium' });
  return (
    <>
      <PageHeader title={t('users.title')} intro={t('users.intro')} />
      <section aria-labelledby="add-user-heading" className="mb-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="add-user-heading" className="mb-3 text-base font-semibold">{t('users.add')}</h2>
        <AddUserForm
          action={addUserAction}
          labels={{
            email: t('users.email'),
            name: t('users.name'),
            role: t('users.role'),
            password: t('users.password'),
            submit: t('users.add'),
            admin: t('role.admin'),
            operator: t('role.operator'),
          }}
        />
      </section>
      <ul className="space-y-3" aria-label={t('users.title')}>
        {users.map((user) => {
          const isMe = user.id === me.id;
          return (
            <li key={user.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`user-${user.email}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                  <p className="font-medium">
                    {user.name}
                    {isMe && <span className="text-slate-500">{t('users.you')}</span>}
                  </p>
                  <p className="text-sm text-slate-500">{user.email}</p>
                </div>
                <p className="text-sm text-slate-600">
                  {t(user.role === 'admin' ? 'role.admin' : 'role.operator')} ·{' '}
                  <span className={user.disabledAt ? 'text-red-700' : 'text-brand-700'}>
                    {t(user.disabledAt ? 'users.disabled' : 'users.active')}
                  </span>{' '}
                  · {t('users.created')} {dateFormat.format(user.createdAt)}
                </p>
              </div>
              {!isMe && (
                <div className="mt-3 grid gap-3 border-t border-slate-100 pt-3 lg:grid-cols-3">
                  <ActionForm action={changeRoleAction} submitLabel={t('users.changeRole')}>
                    <input type="hidden" name="userId" value={user.id} />
                    <label className="sr-only" htmlFor={`role-${user.id}`}>{t('users.role')}</label>
                    <select id={`role-${user.id}`} name="role" defaultValue={user.role} className={smallInput}>
                      <option value="operator">{t('role.operator')}</option>
                      <option value="admin">{t('role.admin')}</option>
                    </select>
                  </ActionForm>
                  <ActionForm action={resetPasswordAction} submitLabel={t('users.resetPassword')}>
                    <input type="hidden" name="userId" value={user.id} />
                    <label className="sr-only" htmlFor={`password-${user.id}`}>{t('users.newPassword')}</label>
                    <input
                      id={`password-${user.id}`}
                      name="password"
                      type="password"
                      autoComplete="new-password"
                      placeholder={t('users.newPassword')}
                      className={`${smallInput} w-40`}
                    />
                  </ActionForm>
                  <ActionForm action={setDisabledAction} submitLabel={t(user.disabledAt ? 'users.enable' : 'users.disable')}>
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="disabled" value={user.disabledAt ? 'false' : 'true'} />
                  </ActionForm>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
