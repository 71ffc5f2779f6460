/** A bare HTTP server for Prometheus: GET /metrics from a prom-client registry, 404 otherwise. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry as PromRegistry } from "prom-client";
import { LeakstopError } from "../lib/errors.js";

/** A listening metrics server. */
export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free one); LS_USAGE when the address cannot be used. */
export async function startMetricsServer(registry: PromRegistry, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "the address is already in use" : err.message;
      reject(new LeakstopError("LS_USAGE", `worker: cannot serve metrics on ${host}:${port}: ${why}`));
    });
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
