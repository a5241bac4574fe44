import { ActionForm } from '@/components/action-form';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

type Labels = Record<'email' | 'name' | 'role' | 'password' | 'passwordHelp' | 'submit' | 'admin' | 'operator', string>;

/**
 * Adding a staff member. After a refused submit the email, name and role stay as typed; the
 * password never does. The server checks every field (noValidate), so each message is in the
 * console's language, beside its field.
 */
export function AddUserForm({ action, labels }: { action: FormAction; labels: Labels }) {
  return (
    <ActionForm
      action={action}
      submitLabel={labels.submit}
      submitVariant="primary"
      keep={['email', 'name', 'role']}
      layout="stacked"
      noValidate
      fieldsClassName="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      <Field label={labels.email} name="email">
        <Input name="email" type="email" autoComplete="off" required />
      </Field>
      <Field label={labels.name} name="name">
        <Input name="name" autoComplete="off" required />
      </Field>
      <Field label={labels.role} name="role">
        <Select name="role" defaultValue="operator">
          <option value="operator">{labels.operator}</option>
          <option value="admin">{labels.admin}</option>
        </Select>
      </Field>
      <Field label={labels.password} name="password" help={labels.passwordHelp}>
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
    </ActionForm>
  );
}
