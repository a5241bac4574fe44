// Staff administration: every change in one transaction with its audit line, and the rules that keep
// at least one active admin and stop an admin from locking themselves out.
import 'server-only';
import type { Db } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import {
  countActiveAdmins,
  createUser,
  DuplicateEmailError,
  getUserById,
  lockUserAdministration,
  type PublicUser,
  updateUser,
  type UserRole,
} from '@/db/queries/users';
import { DomainError } from '@/lib/errors';
import { hashPassword } from '@/lib/auth/password';
import { passwordNamesEmail } from '@/lib/forms/password';
import { unsafeCharacter } from '@/lib/forms/text';

interface Actor {
  id: number;
}

export async function addStaff(
  db: Db,
  actor: Actor,
  params: { email: string; name: string; role: UserRole; password: string },
): Promise<PublicUser> {
  // The form refuses these too (plainName); checked again here for every other way in.
  const codepoint = unsafeCharacter(params.name);
  if (codepoint) throw new DomainError('form.unsafeCharacters', { codepoint }, { field: 'name' });
  if (passwordNamesEmail(params.password, params.email)) throw new DomainError('form.passwordNamesEmail', {}, { field: 'password' });
  const passwordHash = await hashPassword(params.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await createUser(tx, { email: params.email, name: params.name, role: params.role, passwordHash, passwordSetByOther: true });
      await recordAudit(tx, { userId: actor.id, action: 'user.add', target: user.email, detail: `role=${user.role}` });
      return user;
    });
  } catch (error) {
    if (error instanceof DuplicateEmailError) throw new DomainError('error.duplicateEmail', {}, { field: 'email', cause: error });
    throw error;
  }
}

export async function changeStaffRole(db: Db, actor: Actor, params: { userId: number; role: UserRole }): Promise<void> {
  if (params.userId === actor.id) throw new DomainError('error.self');
  await db.transaction(async (tx) => {
    await lockUserAdministration(tx);
    const before = await getUserById(tx, { id: params.userId });
    const user = await updateUser(tx, { id: params.userId, role: params.role });
    if (!before || !user) throw new DomainError('error.notFound');
    if ((await countActiveAdmins(tx)) === 0) throw new DomainError('error.lastAdmin');
    await recordAudit(tx, { userId: actor.id, action: 'user.role', target: user.email, detail: `role=${before.role} → ${params.role}` });
  });
}

export async function resetStaffPassword(db: Db, actor: Actor, params: { userId: number; password: string }): Promise<void> {
  const target = await getUserById(db, { id: params.userId });
  if (!target) throw new DomainError('error.notFound');
  if (passwordNamesEmail(params.password, target.email)) throw new DomainError('form.passwordNamesEmail', {}, { field: 'password' });
  const passwordHash = await hashPassword(params.password);
  await db.transaction(async (tx) => {
    const user = await updateUser(tx, { id: params.userId, passwordHash, passwordSetByOther: true });
    if (!user) throw new DomainError('error.notFound');
    await recordAudit(tx, { userId: actor.id, action: 'user.password_reset', target: user.email });
  });
}

export async function setStaffDisabled(db: Db, actor: Actor, params: { userId: number; disabled: boolean }): Promise<void> {
  if (params.userId === actor.id) throw new DomainError('error.self');
  await db.transaction(async (tx) => {
    await lockUserAdministration(tx);
    if (!(await getUserById(tx, { id: params.userId }))) throw new DomainError('error.notFound');
    const user = await updateUser(tx, { id: params.userId, disabled: params.disabled });
    if ((await countActiveAdmins(tx)) === 0) throw new DomainError('error.lastAdmin');
    await recordAudit(tx, {
      userId: actor.id,
      action: params.disabled ? 'user.disable' : 'user.enable',
      target: user!.email,
    });
  });
}
