// What may be logged of an unexpected failure on the sign-in path: its class and code. Never its
// message: a database driver's message holds the query and its parameters (an email, a hash).

export function failureSummary(error: unknown): { errorClass: string; errorCode?: string } {
  if (!error || typeof error !== 'object') return { errorClass: typeof error };
  const named = error as { name?: unknown; code?: unknown; cause?: unknown };
  const errorClass = error instanceof Error ? error.constructor.name : typeof named.name === 'string' ? named.name : 'Object';
  const code = codeOf(named) ?? codeOf(named.cause as { code?: unknown } | undefined);
  return code ? { errorClass, errorCode: code } : { errorClass };
}

// SQLSTATEs (57P01) and Node's codes (ECONNREFUSED) alike; anything longer is not a code.
function codeOf(error: { code?: unknown } | undefined): string | undefined {
  const code = error?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code) ? code : undefined;
}
