import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getT } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  // A page's own title comes first (lib/i18n/metadata.ts): "Sessions · wekf console".
  return { title: { default: t('app.name'), template: `%s · ${t('app.name')}` }, description: t('app.tagline') };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale } = await getT();
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
