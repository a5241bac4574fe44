// What may be logged of an unexpected failure on the sign-in path: its class and code. Never its
// message: a database driver's message holds the query and its parameters (an email, a hash).

export function failureSummary(error: unknown): { errorClass: string; causeClass?: string; errorCode?: string } {
  if (!error || typeof error !== 'object') return { errorClass: typeof error };
  const named = error as { code?: unknown; cause?: unknown };
  const cause = named.cause && typeof named.cause === 'object' ? (named.cause as { code?: unknown }) : undefined;
  const code = codeOf(named) ?? codeOf(cause);
  return {
    errorClass: classOf(error),
    // Drizzle wraps the driver's error: the driver's class says more (PostgresError, a socket error).
    ...(cause ? { causeClass: classOf(cause) } : {}),
    ...(code ? { errorCode: code } : {}),
  };
}

function classOf(error: object): string {
  const name = (error as { name?: unknown }).name;
  const constructorName = error.constructor?.name;
  if (constructorName && constructorName !== 'Object' && constructorName !== 'Error') return constructorName;
  return typeof name === 'string' ? name : 'Object';
}

// SQLSTATEs (57P01) and Node's codes (ECONNREFUSED) alike; anything longer is not a code.
function codeOf(error: { code?: unknown } | undefined): string | undefined {
  const code = error?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code) ? code : undefined;
}
