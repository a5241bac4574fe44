import { ActionForm } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { changePasswordAction, signOutOthersAction } from './actions';
import { ChangePasswordForm } from './change-password-form';
import { titled } from '@/lib/i18n/metadata';

const card = 'rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6';

export const generateMetadata = titled('nav.account');

export default async function AccountPage() {
  const user = await requireUser();
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t('account.title')} intro={t('account.intro')} />
      <div className="grid gap-6 lg:grid-cols-2 lg:grid-rows-[auto_1fr] lg:items-start">
        <section aria-labelledby="account-profile" className={card}>
          <h2 id="account-profile" className="mb-3 text-base font-semibold">{t('account.profile')}</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">{t('users.name')}</dt>
            <dd className="font-medium">{user.name}</dd>
            <dt className="text-slate-500">{t('users.email')}</dt>
            <dd className="break-words">{user.email}</dd>
            <dt className="text-slate-500">{t('users.role')}</dt>
            <dd>{t(user.role === 'admin' ? 'role.admin' : 'role.operator')}</dd>
          </dl>
        </section>
        <section aria-labelledby="account-password" className={`${card} lg:col-start-2 lg:row-span-2 lg:row-start-1`}>
          <h2 id="account-password" className="mb-3 text-base font-semibold">{t('account.changePassword')}</h2>
          <ChangePasswordForm
            action={changePasswordAction}
            labels={{
              currentPassword: t('account.currentPassword'),
              newPassword: t('account.newPassword'),
              newPasswordHelp: t('account.newPasswordHelp'),
              confirmPassword: t('account.confirmPassword'),
              submit: t('account.savePassword'),
            }}
          />
        </section>
        <section aria-labelledby="account-sessions" className={`${card} lg:col-start-1 lg:row-start-2`}>
          <h2 id="account-sessions" className="mb-1 text-base font-semibold">{t('account.sessions')}</h2>
          <p className="mb-3 text-sm text-slate-600">{t('account.sessionsIntro')}</p>
          <ActionForm action={signOutOthersAction} submitLabel={t('account.signOutOthers')} />
        </section>
      </div>
    </>
  );
}
