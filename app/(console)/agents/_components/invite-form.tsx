'use client';
import { ActionForm } from '@/components/action-form';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/form';
import { Input } from '@/components/ui/input';

type Labels = Record<
  'prefix' | 'prefixHelp' | 'accountWx' | 'accountWxHelp' | 'nickname' | 'nicknameHelp' | 'inviteWx' | 'inviteWxHelp' | 'submit',
  string
>;

/** Creating a customer-service account and inviting a colleague's WeChat ID; every check on the server. */
export function InviteForm({ action, labels, accountWx }: { action: FormAction; labels: Labels; accountWx: string }) {
  return (
    <ActionForm
      action={action}
      submitLabel={labels.submit}
      submitVariant="primary"
      keep={['prefix', 'accountWx', 'nickname', 'inviteWx']}
      layout="stacked"
      noValidate
      fieldsClassName="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      <Field label={labels.prefix} name="prefix" help={labels.prefixHelp}>
        <Input name="prefix" autoComplete="off" spellCheck={false} required maxLength={10} />
      </Field>
      <Field label={labels.accountWx} name="accountWx" help={labels.accountWxHelp}>
        <Input name="accountWx" autoComplete="off" spellCheck={false} required defaultValue={accountWx} />
      </Field>
      <Field label={labels.nickname} name="nickname" help={labels.nicknameHelp}>
        <Input name="nickname" autoComplete="off" required />
      </Field>
      <Field label={labels.inviteWx} name="inviteWx" help={labels.inviteWxHelp}>
        <Input name="inviteWx" autoComplete="off" spellCheck={false} required />
      </Field>
    </ActionForm>
  );
}
