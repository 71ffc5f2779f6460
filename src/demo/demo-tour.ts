/**
 * `leakstop demo`: the whole story on a throwaway Redis, with real processes — issue a key, leak it
 * in a git commit, scan with --report, watch a running worker revoke it, the owner's webhook
 * receive a signed message, and the audit trail verify. Every step runs the CLI a user would type.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LeakstopError } from "../lib/errors.js";
import { type RedisServer, startRedisServer } from "../redis/local-server.js";
import { lastLine, runCli, startCli, stopChild } from "./run-cli.js";
import { startWebhookInbox, type WebhookInbox } from "./webhook-inbox.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Keep the temporary directory (repository, keys, Redis data) and say where. */
  keep?: boolean;
  /** Where the story is told (default: stdout). */
  say?: (line: string) => void;
}

/** A step that did not do what the story needs: one line, exit 2. */
function failed(step: string, why: string): LeakstopError {
  return new LeakstopError("LS_DEMO_FAILED", `demo: ${step}: ${why}`);
}

function git(repo: string, args: string[]): void {
  const r = spawnSync("git", ["-C", repo, "-c", "user.name=Demo Dev", "-c", "user.email=dev@example.com", ...args], {
    encoding: "utf8",
  });
  if (r.error) throw failed("git", "git is not installed or not on PATH");
  if (r.status !== 0) throw failed(`git ${args[0]}`, lastLine(r.stderr));
}

/** Runs the tour; resolves when every step succeeded, throws LS_DEMO_FAILED naming the step otherwise. */
export async function runDemo(opts: DemoOptions = {}): Promise<void> {
  const say = opts.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), "leakstop-demo-"));
  let redis: RedisServer | null = null;
  let inbox: WebhookInbox | null = null;
  let worker: Awaited<ReturnType<typeof startCli>> | null = null;
  try {
    say(
      "leakstop demo: issue a key, leak it in a commit, watch it get revoked, the owner told, the audit trail verified.\n",
    );
    try {
      redis = await startRedisServer({ appendonly: true });
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "redis-server is not on PATH" : String(err);
      throw failed("starting a throwaway Redis", why);
    }
    say(`1. A throwaway Redis on ${redis.url} (data in ${redis.dir}).`);

    const webhookSecret = randomBytes(24).toString("hex");
    inbox = await startWebhookInbox(webhookSecret);
    const auditKey = join(dir, "audit-key.pem");
    const env: NodeJS.ProcessEnv = {
      REDIS_URL: redis.url,
      LEAKSTOP_NAMESPACE: "leakstop",
      LEAKSTOP_AUDIT_KEY: auditKey,
      LEAKSTOP_WEBHOOK_SECRET: webhookSecret,
      LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1",
      LEAKSTOP_SPOOL_DIR: join(dir, "spool"),
      LEAKSTOP_SERVICE_CONFIG: "",
      LEAKSTOP_SERVER: "",
      LEAKSTOP_TOKEN: "",
      NO_COLOR: "1",
    };
    const keygen = await runCli(["audit", "keygen", "--output", auditKey], env);
    if (keygen.code !== 0) throw failed("audit keygen", lastLine(keygen.stderr));
    say(`2. An Ed25519 audit key (${auditKey}): every audit entry is signed with it; it never enters Redis.`);

    worker = await startCli(["worker", "--concurrency", "4"], env, "worker ready", 20_000).catch((err: Error) => {
      throw failed("starting leakstop worker", err.message);
    });
    say(
      `3. leakstop worker is running (pid ${worker.child.pid}); the owner's webhook receiver listens on ${inbox.url}.`,
    );

    const created = await runCli(
      [
        "keys",
        "create",
        "--owner",
        "payments-team",
        "--name",
        "payments-api",
        "--webhook",
        inbox.url,
        "--format",
        "json",
      ],
      env,
    );
    if (created.code !== 0) throw failed("keys create", lastLine(created.stderr));
    const issued = JSON.parse(created.stdout) as { key: string; id: string; hint: string };
    const before = await runCli(["keys", "verify", issued.key], env);
    if (before.code !== 0) throw failed("keys verify (before the leak)", lastLine(before.stdout + before.stderr));
    say(
      `4. leakstop keys create --owner payments-team --webhook … → key ${issued.id} (${issued.hint}); keys verify: valid.`,
    );

    const repo = join(dir, "repo");
    mkdirSync(repo);
    git(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, "README.md"), "# payments\n");
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "Initial commit"]);
    mkdirSync(join(repo, "config"));
    writeFileSync(
      join(repo, "config", "payments.env"),
      `PAYMENTS_API_URL=https://pay.example.com\nPAYMENTS_API_KEY=${issued.key}\n`,
    );
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "Configure the payments client"]);
    say(`5. A developer commits the key into ${join(repo, "config", "payments.env")}.`);

    const scanStarted = Date.now();
    const scan = await runCli(["scan", repo, "--history", "--report", "--no-progress"], env);
    if (scan.code !== 1)
      throw failed("scan --history --report", `expected exit 1 (a leak), got ${scan.code}: ${lastLine(scan.stderr)}`);
    say(`6. leakstop scan ${repo} --history --report (exit 1: a leak found, the secret redacted):`);
    for (const line of (scan.stdout + scan.stderr).trim().split("\n")) say(`     ${line}`);

    const delivery = await inbox.next(15_000);
    if (!delivery) throw failed("waiting for the owner's webhook", "nothing arrived within 15 s; is the worker stuck?");
    const shown = await runCli(["keys", "show", issued.id, "--format", "json"], env);
    const record = JSON.parse(shown.stdout || "{}") as { status?: string; revokeReason?: string; revokedAt?: string };
    if (record.status !== "revoked") throw failed("keys show", `the key is ${record.status ?? "unknown"}, not revoked`);
    const after = await runCli(["keys", "verify", issued.key], env);
    if (after.code === 0) throw failed("keys verify (after the leak)", "the leaked key still verifies");
    const body = delivery.body as {
      type?: string;
      action?: string;
      detectedAt?: string;
      actedAt?: string;
      location?: { path?: string; commit?: string };
    };
    const latency = Date.parse(body.actedAt ?? "") - Date.parse(body.detectedAt ?? "");
    say(
      `7. Revoked ${Number.isFinite(latency) ? `${latency} ms after the scan saw it` : "by the worker"}; the owner's webhook got its message ${delivery.receivedAt - scanStarted} ms after the scan started:`,
    );
    say(`     keys show ${issued.id}: status ${record.status}, reason "${record.revokeReason ?? ""}"`);
    say(`     keys verify: ${lastLine(after.stdout + after.stderr)} (exit ${after.code})`);

    if (!delivery.signatureValid) throw failed("the owner's webhook", "Leakstop-Signature did not verify");
    say(
      `8. The owner's webhook got a ${body.type} message (Leakstop-Delivery ${delivery.deliveryId}); Leakstop-Signature verifies with LEAKSTOP_WEBHOOK_SECRET:`,
    );
    say(`     ${body.action} — ${body.location?.path} at commit ${(body.location?.commit ?? "").slice(0, 12)}`);

    const anchor = join(dir, "checkpoint.json");
    const anchored = await runCli(["audit", "anchor", "--output", anchor], env);
    if (anchored.code !== 0) throw failed("audit anchor", lastLine(anchored.stderr));
    const audit = await runCli(["audit", "verify", "--public-key", `${auditKey}.pub`, "--anchor", anchor], env);
    if (audit.code !== 0) throw failed("audit verify", lastLine(audit.stdout + audit.stderr));
    say(`9. leakstop audit anchor --output ${anchor}, then audit verify --public-key … --anchor …:`);
    for (const line of audit.stdout.trim().split("\n")) say(`     ${line}`);
    say(
      "\nThat is the pipeline: scan → report → queue → registry match → revoke (atomic with its audit entry) → notify.",
    );
  } finally {
    if (worker) await stopChild(worker.child);
    await inbox?.close();
    if (redis && !opts.keep) await redis.dispose();
    else if (redis) await redis.stop();
    if (opts.keep) say(`(kept: ${dir}${redis ? ` and the Redis data in ${redis.dir}` : ""})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
