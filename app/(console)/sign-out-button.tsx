import { getT } from '@/lib/i18n/server';
import { SignOutDialog } from './sign-out-dialog';

/** 「退出登录」: asks first, because it ends the user's sign-in on every device, not only here. */
export async function SignOutButton({ label }: { label: string }) {
  const { t } = await getT();
  return (
    <SignOutDialog
      labels={{
        trigger: label,
        title: t('shell.signOutTitle'),
        description: t('shell.signOutEverywhere'),
        confirm: label,
        cancel: t('common.cancel'),
        close: t('common.close'),
      }}
    />
  );
}
