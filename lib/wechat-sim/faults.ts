// Fault injection: the next N calls of a path fail (or slow down) the way a flaky network or a
// misbehaving WeChat would, so clients' retry and refresh paths can be tested.

export interface FaultSpec {
  /** API path without the query, e.g. /cgi-bin/message/custom/send. */
  path: string;
  /** How many consecutive calls the fault applies to. Default 1. */
  times?: number;
  /** Answer HTTP 200 with this errcode instead of running the endpoint. */
  errcode?: number;
  /** Answer with this HTTP status (and an empty body unless errcode is also set). */
  httpStatus?: number;
  /** Wait this many real milliseconds before answering. Alone, the endpoint then runs normally. */
  delayMs?: number;
  /** Destroy the connection without any response. */
  drop?: boolean;
  /** Run the endpoint (a message is delivered), then destroy the connection without answering. */
  dropAfterActing?: boolean;
  /** Run the endpoint, then answer HTTP 200 with its JSON cut off halfway (`{"errcode":0,"err`). */
  cutShortAfterActing?: boolean;
}

export type ActiveFault = Omit<FaultSpec, 'times'> & { remaining: number };

export class FaultStore {
  private readonly byPath = new Map<string, ActiveFault[]>();

  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault.times must be a positive integer, got ${times}`);
    const { path, errcode, httpStatus, delayMs, drop, dropAfterActing, cutShortAfterActing } = spec;
    const list = this.byPath.get(path) ?? [];
    list.push({ path, errcode, httpStatus, delayMs, drop, dropAfterActing, cutShortAfterActing, remaining: times });
    this.byPath.set(path, list);
  }

  /** The fault for this call, if any; consumes one use of it. */
  take(path: string): ActiveFault | undefined {
    const list = this.byPath.get(path);
    const fault = list?.[0];
    if (!list || !fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) list.shift();
    if (list.length === 0) this.byPath.delete(path);
    return fault;
  }

  list(): ActiveFault[] {
    return [...this.byPath.values()].flat().map((f) => ({ ...f }));
  }

  clear(): void {
    this.byPath.clear();
  }
}
