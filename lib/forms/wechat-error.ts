// A WeChat refusal as a console message: its meaning in the reader's language, the code in small
// print, and for the "not switched on" kind what to switch on in WeChat.
import type { Locale, MessageKey, Translate } from '@/lib/i18n/format';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';

/**
 * WeChat's refusal in the reader's language: its meaning, the code in small print, and for the
 * "not switched on" kind what to switch on. Undefined for anything that is not about WeChat.
 */
export function wechatErrorMessage(error: unknown, t: Translate, locale: Locale): string | undefined {
  if (error instanceof WechatNetworkError) return t('wechat.unreachable');
  if (!(error instanceof WechatApiError)) return undefined;
  const refused = t('wechat.refused', { meaning: error.meaning[locale], code: error.errcode });
  const hint = WECHAT_HINTS[error.errcode];
  return hint ? `${refused} ${t(hint)}` : refused;
}

const WECHAT_HINTS: Partial<Record<number, MessageKey>> = {
  65400: 'wechat.hint.65400',
  48001: 'wechat.hint.48001',
};

