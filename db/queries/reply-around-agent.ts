// The database's half of lib/wechat's transferReplyAroundAgent: the batch statements learn which
// agent holds a follower's session only as they run, so they finish that one reply themselves. The
// kf_account goes between the two halves written as cdata() writes CDATA content (characters XML
// cannot carry dropped, `]]>` split across two sections), so the finished reply is byte for byte
// what transferReply(target, kfAccount) builds (tests/integration/routing.test.ts checks one with
// `]]>` and `<` in it).
import { CDATA_END, CDATA_END_SPLIT } from '@/lib/wechat/xml-build';

const XML_INVALID_CLASS = '[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\uFFFE\\uFFFF]';

/** SQL for `before || <kfAccount as CDATA content> || after`; the arguments are SQL expressions. */
export function replyAroundAgentSql(before: string, kfAccount: string, after: string): string {
  const content = `replace(regexp_replace(${kfAccount}, '${XML_INVALID_CLASS}', '', 'g'), '${CDATA_END}', '${CDATA_END_SPLIT}')`;
  return `${before} || ${content} || ${after}`;
}
