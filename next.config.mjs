/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or WASM modules that must load from node_modules at run time, not from Next's bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', '@node-rs/argon2', 'pino'],
  // `npm test` runs tsc on its own; a second type check inside `next build` only doubles the wait.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // An agent's avatar goes through a server action, and WeChat takes up to 5 MB (lib/kf/agents.ts
  // AVATAR_MAX_BYTES): above Next's 1 MB default, room for the form's other fields. Every action
  // still checks the session and its own limits first.
  experimental: { serverActions: { bodySizeLimit: '6mb' } },
  reactStrictMode: true,
};

export default nextConfig;
