'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface NavItem {
  href: string;
  label: string;
}

/** A sidebar on wide screens; a top bar with a menu button on phones. */
export function ConsoleNav({
  items,
  appName,
  menuLabel,
  children,
}: {
  items: NavItem[];
  appName: string;
  menuLabel: string;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  // Escape closes the phone's menu and gives the focus back to its button, as a dialog does.
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    menuButton.current?.focus();
  };
  const isActive = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href));
  return (
    <aside
      onKeyDown={closeOnEscape}
      className="border-b border-slate-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:shrink-0 md:flex-col md:border-r md:border-b-0"
    >
      <div className="flex items-center justify-between px-4 py-3 md:py-5">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-600 text-sm font-bold text-white">kf</span>
          <span>{appName}</span>
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm md:hidden"
          aria-expanded={open}
          aria-controls="console-nav"
          onClick={() => setOpen((v) => !v)}
        >
          {menuLabel}
        </button>
      </div>
      <div id="console-nav" className={`${open ? 'block' : 'hidden'} md:flex md:flex-1 md:flex-col`}>
        <nav className="flex-1 px-2 pb-2">
          <ul className="space-y-1">
            {items.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  onClick={() => setOpen(false)}
                  aria-current={isActive(item.href) ? 'page' : undefined}
                  className={
                    isActive(item.href)
                      ? 'block rounded-md bg-brand-50 px-3 py-2 text-sm font-medium text-brand-700'
                      : 'block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100'
                  }
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {children}
      </div>
    </aside>
  );
}
