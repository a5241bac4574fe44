import { ActionForm } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { ActionDialog, ConfirmDialog } from '@/components/ui/action-dialog';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { currentDatabase } from '@/db/client';
import { listUsers, type PublicUser } from '@/db/queries/users';
import { requireRole } from '@/lib/auth/session';
import type { Translate } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';
import { getT } from '@/lib/i18n/server';
import { loadKfSettings } from '@/lib/kf/settings';
import { addUserAction, changeRoleAction, resetPasswordAction, setDisabledAction } from './actions';
import { AddUserForm } from './add-user-form';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('nav.users');

export default async function UsersPage() {
  const me = await requireRole('admin');
  const { t, locale } = await getT();
  const database = currentDatabase();
  const [users, settings] = await Promise.all([listUsers(database.db), loadKfSettings(database)]);
  // The service's day, as every console page dates things, not the server's.
  const dateFormat = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: settings.hours.timezone });
  return (
    <>
      <PageHeader title={t('users.title')} intro={t('users.intro')} />
      <section aria-labelledby="add-user-heading" className="mb-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="add-user-heading" className="mb-4 text-base font-semibold">
          {t('users.add')}
        </h2>
        <AddUserForm
          action={addUserAction}
          labels={{
            email: t('users.email'),
            name: t('users.name'),
            role: t('users.role'),
            password: t('users.password'),
            passwordHelp: t('users.passwordHelp'),
            submit: t('users.add'),
            admin: t('role.admin'),
            operator: t('role.operator'),
          }}
        />
      </section>
      <Table label={t('users.title')}>
        <THead>
          <Tr>
            <Th>{t('users.person')}</Th>
            <Th>{t('users.role')}</Th>
            <Th>{t('users.status')}</Th>
            <Th>{t('users.created')}</Th>
            <Th>{t('users.actions')}</Th>
          </Tr>
        </THead>
        <TBody>
          {users.map((user) => (
            <Tr key={user.id} data-testid={`user-${user.email}`}>
              <Td label={t('users.person')}>
                <div className="min-w-0">
                  <p className="font-medium">
                    {user.name}
                    {user.id === me.id && <span className="font-normal text-slate-500">{t('users.you')}</span>}
                  </p>
                  <p className="break-words text-slate-500">{user.email}</p>
                </div>
              </Td>
              <Td label={t('users.role')}>
                <div>
                  <Badge tone={user.role === 'admin' ? 'brand' : 'neutral'}>{t(user.role === 'admin' ? 'role.admin' : 'role.operator')}</Badge>
                </div>
              </Td>
              <Td label={t('users.status')}>
                <div>
                  <Badge tone={user.disabledAt ? 'danger' : 'success'}>{t(user.disabledAt ? 'users.disabled' : 'users.active')}</Badge>
                </div>
              </Td>
              <Td label={t('users.created')} className="whitespace-nowrap text-slate-600">
                <div>{dateFormat.format(user.createdAt)}</div>
              </Td>
              <Td label={t('users.actions')}>
                {user.id === me.id ? <div className="text-slate-400">—</div> : <UserActions user={user} t={t} />}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}

function UserActions({ user, t }: { user: PublicUser; t: Translate }) {
  const userId = <input type="hidden" name="userId" value={user.id} />;
  const dialogLabels = { cancelLabel: t('common.cancel'), closeLabel: t('common.close') };
  return (
    <div className="flex flex-col gap-2">
      <ActionForm action={changeRoleAction} submitLabel={t('users.changeRole')}>
        {userId}
        <Field label={t('users.role')} labelHidden>
          {/* Keyed by the role: React resets a form after its action to each field's first default, which would show the old role. */}
          <Select key={user.role} name="role" defaultValue={user.role} controlSize="sm">
            <option value="operator">{t('role.operator')}</option>
            <option value="admin">{t('role.admin')}</option>
          </Select>
        </Field>
      </ActionForm>
      <div className="flex flex-wrap items-start gap-2">
        <ActionDialog
          action={resetPasswordAction}
          triggerLabel={t('users.resetPassword')}
          title={t('users.resetPasswordTitle', { name: user.name })}
          description={t('users.resetPasswordBody', { name: user.name })}
          submitLabel={t('users.resetPassword')}
          {...dialogLabels}
        >
          {userId}
          <Field label={t('users.newPassword')} name="password" help={t('users.passwordHelp')}>
            <Input name="password" type="password" autoComplete="new-password" required />
          </Field>
        </ActionDialog>
        {user.disabledAt ? (
          <ActionForm action={setDisabledAction} submitLabel={t('users.enable')}>
            {userId}
            <input type="hidden" name="disabled" value="false" />
          </ActionForm>
        ) : (
          <ConfirmDialog
            action={setDisabledAction}
            triggerLabel={t('users.disable')}
            triggerVariant="secondary"
            title={t('users.disableTitle', { name: user.name })}
            description={t('users.disableBody', { name: user.name })}
            submitLabel={t('users.disable')}
            {...dialogLabels}
          >
            {userId}
            <input type="hidden" name="disabled" value="true" />
          </ConfirmDialog>
        )}
      </div>
    </div>
  );
}
