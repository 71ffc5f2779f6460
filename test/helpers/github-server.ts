/**
 * A stand-in for the GitHub REST API and git's smart HTTP, on 127.0.0.1 with real sockets:
 *   GET /orgs/:org/repos?per_page=&page=   the org's repositories, with GitHub's `Link` pagination header
 *   GET /meta/public_keys/secret_scanning  `meta.secretScanningKeys` (GitHub's partner-alert signing keys)
 *   /git/<name>.git/...                    `git http-backend` over the bare repositories in `gitRoot`
 * With a `token`, both refuse requests without it (API: `Authorization: token|Bearer T`; git: the
 * basic header `x-access-token:T`), answering 401 as GitHub does. `faults` inject answers (5xx,
 * secondary rate limits) for the next matching API requests, to prove retries.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRepo {
  name: string;
  /** Where clones go: a path or file:// URL; default: this server's /git/<name>.git. */
  cloneUrl?: string;
  archived?: boolean;
  fork?: boolean;
  disabled?: boolean;
  size?: number;
}

export interface Fault {
  /** Matches the request path (with query). */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  message: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface FakeGitHub {
  url: string;
  /** The API base URL to pass as --api-url. */
  apiUrl: string;
  requests: RecordedRequest[];
  orgs: Map<string, FakeRepo[]>;
  faults: Fault[];
  /** What the meta endpoints answer (set by tests; 404 while unset). */
  meta: { secretScanningKeys?: unknown };
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: { token?: string; gitRoot?: string } = {}): Promise<FakeGitHub> {
  const state = {
    orgs: new Map<string, FakeRepo[]>(),
    faults: [] as Fault[],
    requests: [] as RecordedRequest[],
    meta: {} as { secretScanningKeys?: unknown },
  };
  let base = "";
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/git/")) return serveGit(req, res, opts);
    state.requests.push({ method: req.method ?? "", url, authorization: req.headers.authorization });
    serveApi(req, res, url, base, state, opts.token);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/v3`,
    requests: state.requests,
    orgs: state.orgs,
    faults: state.faults,
    meta: state.meta,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  base: string,
  state: { orgs: Map<string, FakeRepo[]>; faults: Fault[]; meta: { secretScanningKeys?: unknown } },
  token: string | undefined,
) {
  const rate = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": "9999999999" };
  const faultAt = state.faults.findIndex((f) => f.path.test(url));
  if (faultAt >= 0) {
    const [f] = state.faults.splice(faultAt, 1);
    return json(res, f!.status, { message: f!.message }, { ...rate, ...f!.headers });
  }
  if (token !== undefined) {
    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}` && auth !== `bearer ${token}`)
      return json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
  }
  const u = new URL(url, base);
  if (u.pathname === "/api/v3/meta/public_keys/secret_scanning" && state.meta.secretScanningKeys)
    return json(res, 200, state.meta.secretScanningKeys, rate);
  const m = /^\/api\/v3\/orgs\/([^/]+)\/repos$/.exec(u.pathname);
  if (req.method !== "GET" || !m) return json(res, 404, { message: "Not Found" });
  const org = decodeURIComponent(m[1]!);
  const repos = state.orgs.get(org);
  if (!repos) return json(res, 404, { message: "Not Found" });
  const perPage = Math.min(Number(u.searchParams.get("per_page") ?? 30), 100);
  const page = Number(u.searchParams.get("page") ?? 1);
  const last = Math.max(1, Math.ceil(repos.length / perPage));
  const slice = repos.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const next = new URL(u.href);
    next.searchParams.set("page", String(p));
    return `<${next.href}>; rel="${rel}"`;
  };
  const links = [];
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  json(
    res,
    200,
    slice.map((r, i) => ({
      id: page * 1000 + i,
      name: r.name,
      full_name: `${org}/${r.name}`,
      clone_url: r.cloneUrl ?? `${base}/git/${r.name}.git`,
      archived: r.archived ?? false,
      fork: r.fork ?? false,
      disabled: r.disabled ?? false,
      size: r.size ?? 1,
      private: true,
    })),
    { ...rate, ...(links.length > 0 ? { link: links.join(", ") } : {}) },
  );
}

/** git's smart HTTP through `git http-backend` (CGI), behind the same token check as the API. */
function serveGit(req: IncomingMessage, res: ServerResponse, opts: { token?: string; gitRoot?: string }) {
  if (opts.token !== undefined) {
    const want = `basic ${Buffer.from(`x-access-token:${opts.token}`).toString("base64")}`;
    if ((req.headers.authorization ?? "").toLowerCase() !== want.toLowerCase()) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
      return void res.end("Unauthorized\n");
    }
  }
  const u = new URL(req.url ?? "/", "http://x");
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: opts.gitRoot ?? "/nonexistent",
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      PATH_INFO: decodeURIComponent(u.pathname.slice("/git".length)),
      QUERY_STRING: u.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const i = line.indexOf(":");
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === "status") status = Number.parseInt(v, 10);
      else headers[k] = v;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on("end", () => res.end());
  child.on("error", () => {
    res.writeHead(500);
    res.end();
  });
}
