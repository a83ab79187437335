/**
 * A loopback load balancer for the two-instance test: every request (page, RSC fetch, server action, static file)
 * goes to the next backend in turn, even on a kept-alive browser connection, with the Host header kept as the browser sent it (Next.js compares a server
 * action's Origin with its Host, as it would behind a real balancer that preserves Host).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardedRequest {
  backend: number;
  method: string;
  path: string;
  /** Server actions are POSTs carrying a Next-Action header. */
  serverAction: boolean;
  status?: number;
}

export interface RoundRobin {
  url: string;
  log: ForwardedRequest[];
  close(): Promise<void>;
}

export async function startRoundRobin(options: { port: number; backends: number[]; host?: string }): Promise<RoundRobin> {
  const host = options.host ?? "127.0.0.1";
  const log: ForwardedRequest[] = [];
  let next = 0;

  const server = http.createServer((incoming, outgoing) => {
    const backend = options.backends[next++ % options.backends.length]!;
    const entry: ForwardedRequest = {
      backend,
      method: incoming.method ?? "GET",
      path: incoming.url ?? "/",
      serverAction: incoming.method === "POST" && typeof incoming.headers["next-action"] === "string",
    };
    log.push(entry);
    const upstream = http.request(
      { host: "127.0.0.1", port: backend, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        entry.status = answer.statusCode;
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", (error) => {
      entry.status = 502;
      if (!outgoing.headersSent) outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`backend ${backend} failed: ${error.message}`);
    });
    incoming.pipe(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
