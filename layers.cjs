/**
 * The folders of src/, lowest first: a module imports only its own folder or a lower one. Ordered
 * along the data flow (sources → detection → findings → outputs → scan → queue → registry → …, entry
 * points last). A folder missing from this list counts as an entry point: nothing may import it.
 * `.dependency-cruiser.cjs` builds its rules from this list; add a new top-level folder here.
 */
module.exports = [
  "lib",
  "keyformat",
  "findings",
  "sources",
  // Rule data: loading, schema, shared context forms, validators. It never imports the engine.
  "rules",
  // Config validates --format with the names in config/output-format.ts; output imports them from here.
  // It builds the RuleSet (data) and hands it to detection, which compiles it: config never compiles.
  "config",
  // The engine: compile (re2), prefilter, keyword windows, regex → validator → allowlists → finding.
  "detection",
  "output",
  "scan",
  "redis",
  "queue",
  // The registry checks webhook URLs with notify's delivery policy at registration.
  "notify",
  "audit",
  "registry",
  "report",
  "revoke",
  "github",
  "scheduler",
  "worker",
  "server",
  // leakstop demo: a redis-server of its own and the CLI as child processes.
  "demo",
  "hook",
  "action",
  "cli",
];
