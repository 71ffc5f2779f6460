/** Webhook URLs: refused when they point inside the network, unless the operator allows it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type LookupAll,
  parseWebhookAllow,
  resolveWebhookTarget,
  webhookAllowFrom,
  webhookUrlProblem,
} from "../../../src/notify/webhook-url.js";

const REFUSED = [
  "http://127.0.0.1/hook",
  "http://127.0.0.2:8080/hook",
  "http://localhost/hook",
  "http://api.localhost/hook",
  "http://169.254.169.254/latest/meta-data/",
  "http://[fe80::1]/hook",
  "http://10.1.2.3/hook",
  "http://172.16.0.1/hook",
  "http://172.31.255.255/hook",
  "http://192.168.1.1/hook",
  "http://[fc00::1]/hook",
  "http://[fd12:3456::1]/hook",
  "http://100.64.0.1/hook",
  "http://0.0.0.0/hook",
  "http://0/hook",
  "http://[::]/hook",
  "http://[::1]/hook",
  "http://[::ffff:127.0.0.1]/hook",
  "http://[::ffff:8.8.8.8]/hook",
  "http://[64:ff9b::7f00:1]/hook",
  "http://2130706433/hook",
  "http://0x7f.1/hook",
  "http://017700000001/hook",
  "http://127.1/hook",
  "http://0x7f000001/hook",
  "http://224.0.0.1/hook",
  "http://255.255.255.255/hook",
  "https://user:tok3n@hooks.example.com/hook",
  "https://:tok3n@hooks.example.com/hook",
  "ftp://hooks.example.com/hook",
  "file:///etc/passwd",
  "not a url",
];

const ACCEPTED = [
  "https://hooks.example.com/leakstop",
  "http://93.184.216.34/hook",
  "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
  "https://172.32.0.1/hook",
  "https://100.128.0.1/hook",
];

describe("webhook URL at registration", () => {
  for (const url of REFUSED) {
    it(`refuses ${url}`, () => {
      const problem = webhookUrlProblem(url);
      assert.ok(problem, "refused");
      assert.ok(!problem.includes("tok3n"), "the message never repeats credentials");
    });
  }
  for (const url of ACCEPTED) {
    it(`accepts ${url}`, () => assert.equal(webhookUrlProblem(url), null));
  }

  it("lets the operator allow hosts and networks, and nothing more", () => {
    const allow = parseWebhookAllow("127.0.0.1, 10.0.0.0/8,hooks.internal,::1");
    assert.equal(webhookUrlProblem("http://127.0.0.1:9000/hook", allow), null);
    assert.equal(webhookUrlProblem("http://2130706433/hook", allow), null, "the same address in another spelling");
    assert.equal(webhookUrlProblem("http://10.9.8.7/hook", allow), null);
    assert.equal(webhookUrlProblem("http://[::1]/hook", allow), null);
    assert.equal(webhookUrlProblem("http://HOOKS.internal/x", allow), null);
    assert.ok(webhookUrlProblem("http://127.0.0.2/hook", allow));
    assert.ok(webhookUrlProblem("http://169.254.169.254/", allow));
    assert.ok(webhookUrlProblem("http://u:p@127.0.0.1/hook", allow), "credentials stay refused");
  });

  it("reads LEAKSTOP_WEBHOOK_ALLOW plus config entries, and names a bad entry", () => {
    const allow = webhookAllowFrom({ LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1" }, ["192.168.0.0/16"]);
    assert.equal(webhookUrlProblem("http://192.168.5.5/", allow), null);
    assert.equal(webhookUrlProblem("http://127.0.0.1/", allow), null);
    assert.throws(() => parseWebhookAllow("10.0.0.0/33"), /10\.0\.0\.0\/33/);
    assert.throws(() => parseWebhookAllow("http://x/"), /http:\/\/x\//);
  });
});

describe("webhook URL at delivery (DNS)", () => {
  it("refuses a name that resolves to loopback (localhost through the system resolver)", async () => {
    await assert.rejects(resolveWebhookTarget("http://localhost:9/hook"), /refused/);
    // A name the registration check cannot see through: only its DNS answer tells.
    const rebinding: LookupAll = async () => [{ address: "127.0.0.1", family: 4 }];
    await assert.rejects(resolveWebhookTarget("https://hooks.example.com/x", undefined, rebinding), /127\.0\.0\.1/);
  });

  it("refuses a name with one public and one private address", async () => {
    const mixed: LookupAll = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ];
    await assert.rejects(resolveWebhookTarget("https://hooks.example.com/x", undefined, mixed), /10\.0\.0\.5/);
  });

  it("returns the checked address to connect to", async () => {
    const pub: LookupAll = async () => [{ address: "93.184.216.34", family: 4 }];
    const target = await resolveWebhookTarget("https://hooks.example.com/x", undefined, pub);
    assert.equal(target.address, "93.184.216.34");
    assert.equal(target.family, 4);
    assert.equal(target.url.hostname, "hooks.example.com");
  });

  it("delivers to an allowed loopback receiver (the tests' and the demo's case)", async () => {
    const target = await resolveWebhookTarget("http://localhost:9/hook", parseWebhookAllow("127.0.0.1,::1"));
    assert.ok(["127.0.0.1", "::1"].includes(target.address));
    const byName = await resolveWebhookTarget("http://localhost:9/hook", parseWebhookAllow("localhost"));
    assert.ok(["127.0.0.1", "::1"].includes(byName.address));
  });

  it("fails with one line when the name does not resolve", async () => {
    const none: LookupAll = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    await assert.rejects(
      resolveWebhookTarget("https://nowhere.invalid/x", undefined, none),
      /does not resolve \(ENOTFOUND\)/,
    );
  });
});
