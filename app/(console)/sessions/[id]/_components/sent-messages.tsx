import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { SessionOutboxRow } from '@/db/queries/session-timeline';
import type { Locale, MessageKey, Translate } from '@/lib/i18n/format';
import { describeErrcode } from '@/lib/wechat/errcodes';
import { skipReasonKey } from '@/lib/outbox/skip-reasons';
import { shortOpenid } from '@/components/follower-name';
import { cx } from '@/components/ui/styles';

export function SentMessages({ t, locale, rows, when }: { t: Translate; locale: Locale; rows: SessionOutboxRow[]; when: Intl.DateTimeFormat }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">{t('session.messagesEmpty')}</p>;
  return (
    <Table label={t('session.messages')}>
      <THead>
        <Tr>
          <Th>{t('session.msgKind')}</Th>
          <Th>{t('session.msgTo')}</Th>
          <Th>{t('session.msgTime')}</Th>
          <Th>{t('session.msgOutcome')}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((row) => {
          const kindKey = `session.kind.${row.kind}` as MessageKey;
          const meaning = row.lastErrcode !== null ? describeErrcode(row.lastErrcode) : undefined;
          const skipKey = skipReasonKey(row.lastError);
          return (
            <Tr key={row.id} data-testid={`message-${row.id}`}>
              <Td label={t('session.msgKind')}>
                {/* One block: on a phone the cell lays out its children side by side. */}
                <div className="min-w-0">
                  {t(kindKey) === kindKey ? row.kind : t(kindKey)}
                  {sentText(row.payload) && <span className="mt-0.5 block max-w-prose text-xs whitespace-pre-wrap break-words text-slate-600">{sentText(row.payload)}</span>}
                </div>
              </Td>
              <Td label={t('session.msgTo')}>{row.agentNickname ?? row.agentKfAccount ?? <span className="font-mono text-xs">{shortOpenid(row.openid)}</span>}</Td>
              <Td label={t('session.msgTime')} className="whitespace-nowrap">
                {when.format(row.sentAt ?? row.createdAt)}
              </Td>
              <Td label={t('session.msgOutcome')}>
                <span className={cx('whitespace-nowrap', row.status === 'sent' ? 'text-brand-700' : row.status === 'failed' ? 'text-red-700' : 'text-slate-700')}>
                  {t(`session.out.${row.status}`)}
                </span>
                {meaning && <span className="block text-sm text-slate-700">{meaning[locale]}</span>}
                {row.lastErrcode !== null && <span className="block text-xs text-slate-500">{t('session.errcode', { code: row.lastErrcode })}</span>}
                {!meaning && row.lastError && (row.status === 'skipped' || skipKey) && (
                  <span className="block text-xs text-slate-500">{skipKey ? t(skipKey) : row.lastError}</span>
                )}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}

/**
 * What the follower (or the agent) reads, for a text queued whole: greetings, hand-overs, closings.
 * A place in line is a template filled in as it is sent, with the place at that moment, which is not
 * kept: its kind says what it was.
 */
function sentText(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || 'placeVars' in payload) return undefined;
  const content = (payload as { text?: { content?: unknown } }).text?.content;
  return typeof content === 'string' && content !== '' ? content : undefined;
}
