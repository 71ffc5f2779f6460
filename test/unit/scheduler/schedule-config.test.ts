/** The org-scan schedule from the environment: both variables or neither, checked once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { orgScanScheduleFromEnv } from "../../../src/scheduler/schedule-config.js";

describe("orgScanScheduleFromEnv", () => {
  it("is null when nothing is set", () => {
    assert.equal(orgScanScheduleFromEnv({}), null);
  });
  it("reads the cron, the orgs (trimmed, lower-cased, once each) and the zone", () => {
    assert.deepEqual(
      orgScanScheduleFromEnv({
        LEAKSTOP_ORG_SCAN_CRON: " 0  3 * * * ",
        LEAKSTOP_ORG_SCAN_ORGS: "Acme, beta,,acme",
        LEAKSTOP_ORG_SCAN_TZ: "Europe/Berlin",
      }),
      { cron: "0 3 * * *", orgs: ["acme", "beta"], tz: "Europe/Berlin" },
    );
    assert.equal(
      orgScanScheduleFromEnv({ LEAKSTOP_ORG_SCAN_CRON: "0 3 * * *", LEAKSTOP_ORG_SCAN_ORGS: "a" })?.tz,
      "UTC",
    );
  });
  it("refuses half a schedule, a malformed cron, a bad org name or zone, naming the variable", () => {
    const bad: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ LEAKSTOP_ORG_SCAN_CRON: "0 3 * * *" }, /without LEAKSTOP_ORG_SCAN_ORGS/],
      [{ LEAKSTOP_ORG_SCAN_ORGS: "acme" }, /without LEAKSTOP_ORG_SCAN_CRON/],
      [{ LEAKSTOP_ORG_SCAN_CRON: "daily", LEAKSTOP_ORG_SCAN_ORGS: "acme" }, /LEAKSTOP_ORG_SCAN_CRON "daily"/],
      [{ LEAKSTOP_ORG_SCAN_CRON: "0 3 * * *", LEAKSTOP_ORG_SCAN_ORGS: "ac/me" }, /LEAKSTOP_ORG_SCAN_ORGS: "ac\/me"/],
      [
        { LEAKSTOP_ORG_SCAN_CRON: "0 3 * * *", LEAKSTOP_ORG_SCAN_ORGS: "acme", LEAKSTOP_ORG_SCAN_TZ: "Mars/Base" },
        /LEAKSTOP_ORG_SCAN_TZ/,
      ],
    ];
    for (const [env, message] of bad)
      assert.throws(() => orgScanScheduleFromEnv(env), { code: "LS_CONFIG_INVALID", message });
  });
});
