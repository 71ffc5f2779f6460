/**
 * A stand-in for GitHub's credential revocation endpoint on 127.0.0.1: `POST <base>/credentials/revoke`
 * answers what the test plans for the n-th request (202, 422, 5xx) and records every request.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RevokeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeCredentialsApi {
  /** The API base URL (GitHub Enterprise style: http://127.0.0.1:PORT/api/v3). */
  apiUrl: string;
  requests: RevokeRequest[];
  plan: (n: number) => number;
  close(): Promise<void>;
}

const BODIES: Record<number, (token: string) => object> = {
  202: () => ({}),
  // A careless server echoing the token: the revoker must not pass it on.
  422: (token) => ({
    message: `Validation Failed: ${token} is not a known credential`,
    documentation_url: "https://docs.github.com/rest",
  }),
  500: () => ({ message: "Internal Error" }),
  502: () => ({ message: "Bad Gateway" }),
};

export async function startFakeCredentialsApi(plan: (n: number) => number): Promise<FakeCredentialsApi> {
  const requests: RevokeRequest[] = [];
  const state: FakeCredentialsApi = { apiUrl: "", requests, plan, close: async () => {} };
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const n = requests.length;
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      if (req.method !== "POST" || req.url !== "/api/v3/credentials/revoke") {
        res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
        return;
      }
      const status = state.plan(n);
      let token = "";
      try {
        token = String(JSON.parse(body).credentials?.[0] ?? "");
      } catch {}
      const answer = (BODIES[status] ?? BODIES[500]!)(token);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  state.apiUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/v3`;
  state.close = () =>
    new Promise<void>((r) => {
      srv.closeAllConnections();
      srv.close(() => r());
    });
  return state;
}
