// Node module hooks (registered by server-only-register.mjs): `server-only` resolves as in a React
// Server Components build, to its empty `react-server` entry. Only that one package: a global
// `--conditions=react-server` would also hand Next and React their server-components builds.
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'server-only') return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}
