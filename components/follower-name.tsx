// A follower as staff recognise them. WeChat gives no nickname since 2021-12-27, so the name is the
// remark staff set (followers.remark); the openid, shortened, stays beside it to tell two people
// with one name apart, and stands alone when there is no remark. The full openid is in the tooltip.
import { cx } from './ui/styles';

/** A long openid kept recognisable in a narrow column: its start and end. */
export function shortOpenid(openid: string): string {
  return openid.length > 16 ? `${openid.slice(0, 8)}…${openid.slice(-6)}` : openid;
}

/** The follower in running text (a dialog title): the remark, else the shortened openid. */
export function followerLabel(follower: { remark: string | null; openid: string }): string {
  return follower.remark || shortOpenid(follower.openid);
}

export function FollowerName({ remark, openid, className }: { remark: string | null; openid: string; className?: string }) {
  return (
    <span className={cx('break-words', className)} title={openid}>
      {remark ? (
        <>
          <span className="font-medium">{remark}</span> <span className="font-mono text-xs text-slate-500">{shortOpenid(openid)}</span>
        </>
      ) : (
        <span className="font-mono text-xs">{shortOpenid(openid)}</span>
      )}
    </span>
  );
}
