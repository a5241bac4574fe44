/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or WASM modules that must load from node_modules at run time, not from Next's bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', '@node-rs/argon2', 'pino'],
  // `npm test` runs tsc on its own; a second type check inside `next build` only doubles the wait.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
