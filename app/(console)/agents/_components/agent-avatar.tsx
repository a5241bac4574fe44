'use client';
// WeChat's avatar for an agent, or their initial while it loads, when there is none, or when it
// will not load (WeChat's image host may be unreachable from the staff's network, and the
// sandbox's avatars are made up). Loaded after hydration, so a failure never shows a broken image.
import { useEffect, useState } from 'react';

const HAN = /\p{Script=Han}/u;

/**
 * What stands in for a missing avatar: a Chinese name's last two characters, as DingTalk and Feishu
 * show them (小王 and 小李 differ there, not in 小), or a Latin name's first letter.
 */
export function avatarInitials(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '?';
  if (HAN.test(chars[0]!)) return chars.slice(-2).join('');
  return chars[0]!.toUpperCase();
}

export function AgentAvatar({ url, name }: { url: string | null; name: string }) {
  const [loaded, setLoaded] = useState<string | undefined>();
  const src = url?.replace(/^http:/, 'https:');
  useEffect(() => {
    if (!src) return;
    const probe = new Image();
    probe.referrerPolicy = 'no-referrer';
    probe.onload = () => setLoaded(src);
    probe.src = src;
    return () => {
      probe.onload = null;
    };
  }, [src]);
  const initial = avatarInitials(name);
  return (
    <span className="relative inline-flex size-10 shrink-0 items-center justify-center overflow-hidden rounded-full bg-brand-50 text-sm font-semibold text-brand-700" aria-hidden="true">
      {initial}
      {loaded && loaded === src && (
        // WeChat's CDN serves the image; a plain img keeps Next from proxying a third-party host.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={loaded} alt="" referrerPolicy="no-referrer" className="absolute inset-0 size-full object-cover" />
      )}
    </span>
  );
}
