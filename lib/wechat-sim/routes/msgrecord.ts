// POST /customservice/msgrecord/getmsglist: chat records between agents and followers.
//
// Paging: WeChat's doc continues from the returned msgid, while some SDKs add 1 to it. Record ids
// here are odd (1, 3, 5, …) and the returned msgid is the even number after the last record sent,
// so a client that passes it back unchanged and one that adds 1 both resume at the next record,
// with nothing fetched twice and nothing skipped.
import { integerField, objectBody } from '../body';
import type { SimClock } from '../clock';
import { SimApiError } from '../errors';
import { RECORD_RETENTION_SECONDS } from '../cs-machine';
import type { Route } from '../http';
import type { SimState } from '../state';

const MAX_RANGE_SECONDS = 24 * 3600;
const MAX_PAGE = 10_000;

interface RecordDeps {
  state: SimState;
  clock: SimClock;
}

export function msgRecordRoutes(deps: RecordDeps): Route[] {
  return [
    {
      path: '/customservice/msgrecord/getmsglist',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => {
        const body = objectBody(req.body);
        const start = integerField(body, 'starttime');
        const end = integerField(body, 'endtime');
        const fromId = integerField(body, 'msgid');
        const number = integerField(body, 'number');
        if (start === undefined || end === undefined || fromId === undefined || number === undefined) {
          throw new SimApiError(65416);
        }
        if (start < 0 || end < start || fromId < 1 || number < 1 || number > MAX_PAGE) throw new SimApiError(65416);
        if (end - start > MAX_RANGE_SECONDS) throw new SimApiError(65417);

        const oldestKept = deps.clock.nowSeconds() - RECORD_RETENTION_SECONDS;
        // Both ends are inclusive, as WeChat's "from starttime to endtime" reads.
        const page = deps.state.records
          .filter((r) => r.msgid >= fromId && r.time >= start && r.time <= end && r.time >= oldestKept)
          .slice(0, number);
        const last = page.at(-1);
        return {
          recordlist: page.map((r) => ({
            openid: r.openid,
            opercode: r.opercode,
            text: r.text,
            time: r.time,
            worker: r.worker,
          })),
          number: page.length,
          msgid: last ? last.msgid + 1 : fromId,
        };
      },
    },
  ];
}
