import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The bench and e2e run several builds of the same tree; keep Next's telemetry and lint out of the way.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
