import { Announcer } from '@/components/ui/announcer';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LocaleSwitch } from '@/components/locale-switch';
import { requireUser } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { getT } from '@/lib/i18n/server';
import { currentWechatAccount } from '@/lib/wechat-account/account';
import { ConsoleNav, type NavItem } from './console-nav';
import { OnlineHeartbeat } from './online-heartbeat';
import { SignOutButton } from './sign-out-button';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { t, locale } = await getT();
  // In sandbox mode the account the process publishes is the fake's, so its API origin is the fake.
  const sandboxUrl = env().sandbox ? currentWechatAccount().apiBase : undefined;
  const items: NavItem[] = [
    { href: '/', label: t('nav.queue') },
    { href: '/agents', label: t('nav.agents') },
    { href: '/sessions', label: t('nav.sessions') },
    { href: '/metrics', label: t('nav.metrics') },
    { href: '/settings', label: t('nav.settings') },
    // The sandbox page plays against the built-in fake WeChat, which exists only in sandbox mode.
    ...(env().sandbox ? [{ href: '/sandbox', label: t('nav.sandbox') }] : []),
    ...(user.role === 'admin'
      ? [
          { href: '/users', label: t('nav.users') },
          { href: '/audit', label: t('nav.audit') },
        ]
      : []),
  ];
  return (
    <div className="min-h-screen md:flex">
      {/* The first Tab stop: past the navigation to the page itself (WCAG 2.4.1). Above the top edge until focused. */}
      <a
        href="#main"
        className="fixed top-2 left-2 z-50 -translate-y-[200%] rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow ring-2 ring-brand-600 focus:translate-y-0 focus:outline-none"
      >
        {t('shell.skipToContent')}
      </a>
      <OnlineHeartbeat />
      <ConsoleNav items={items} appName={t('app.name')} menuLabel={t('nav.menu')}>
        <div className="border-t border-slate-200 px-4 py-4 text-sm">
          <p className="font-medium text-slate-900" data-testid="signed-in-user">
            {user.name}
          </p>
          <p className="truncate text-slate-500">
            {user.email} · {t(user.role === 'admin' ? 'role.admin' : 'role.operator')}
          </p>
          <Link href="/account" className="mt-1 inline-block text-brand-700 hover:underline">
            {t('nav.account')}
          </Link>
          <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
            <LocaleSwitch locale={locale} label={t('shell.language')} />
            <SignOutButton label={t('shell.signOut')} />
          </div>
        </div>
      </ConsoleNav>
      <div className="min-w-0 flex-1">
        {env().sandbox && (
          <div role="status" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 md:px-8">
            {t('shell.sandboxBanner')}
            {sandboxUrl && (
              <>
                {' '}
                <span className="whitespace-nowrap" data-testid="sandbox-wechat-url">
                  {t('shell.sandboxWechat', { url: sandboxUrl })}
                </span>
              </>
            )}
          </div>
        )}
        {user.passwordSetByOther && (
          <div role="status" data-testid="password-set-by-other" className="border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900 md:px-8">
            {t('shell.passwordSetByOther')}{' '}
            <Link href="/account" className="font-medium whitespace-nowrap underline">
              {t('shell.changePassword')}
            </Link>
          </div>
        )}
        {/* Focusable, so focus has somewhere to go when an action removes what held it (action-dialog.tsx). */}
        <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none md:px-8">
          {children}
        </main>
      </div>
      <Announcer />
    </div>
  );
}
