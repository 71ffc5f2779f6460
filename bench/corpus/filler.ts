/**
 * Realistic, secret-free filler text per file format: the bulk of every corpus file.
 * Built from word lists so that it is fast to generate in volume and never random-looking.
 */
import type { Rng } from "../lib/prng.js";

export type Format =
  | "ts"
  | "js"
  | "py"
  | "go"
  | "java"
  | "yaml"
  | "json"
  | "env"
  | "md"
  | "tf"
  | "dockerfile"
  | "sh"
  | "properties"
  | "toml"
  | "ipynb";

const NOUNS =
  "user order invoice session payment account report cache queue event item cart profile config request response message client server handler record batch job file stream token metric entry node route".split(
    " ",
  );
const VERBS =
  "get set load save build parse render fetch update delete create validate format compute resolve sync merge flush encode decode".split(
    " ",
  );
const WORDS =
  "the a this when returns value list of for each is not if empty and then we keep only first last page size default retry after timeout so that callers can see it".split(
    " ",
  );

function ident(rng: Rng): string {
  const v = rng.pick(VERBS);
  const n = rng.pick(NOUNS);
  return v + n[0]!.toUpperCase() + n.slice(1);
}

function snake(rng: Rng): string {
  return `${rng.pick(VERBS)}_${rng.pick(NOUNS)}`;
}

function sentence(rng: Rng, n: number): string {
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(rng.pick(WORDS));
  return w.join(" ");
}

function tsBlock(rng: Rng): string[] {
  const fn = ident(rng);
  const a = rng.pick(NOUNS);
  const b = rng.pick(NOUNS);
  return [
    `/** ${sentence(rng, 8)}. */`,
    `export async function ${fn}(${a}: ${a[0]!.toUpperCase()}${a.slice(1)}, limit = ${rng.range(1, 500)}): Promise<${b}[]> {`,
    `  const ${b}s = await db.${rng.pick(NOUNS)}s.findMany({ where: { ${a}Id: ${a}.id }, take: limit });`,
    `  if (${b}s.length === 0) return [];`,
    `  logger.debug("${fn}: %d ${b}s", ${b}s.length);`,
    `  return ${b}s.map((x) => ({ ...x, ${rng.pick(NOUNS)}: ${ident(rng)}(x) }));`,
    "}",
    "",
  ];
}

function pyBlock(rng: Rng): string[] {
  const fn = snake(rng);
  const a = rng.pick(NOUNS);
  return [
    `def ${fn}(${a}, limit=${rng.range(1, 500)}):`,
    `    """${sentence(rng, 9)}."""`,
    `    rows = session.query(${a.toUpperCase()[0]}${a.slice(1)}).filter_by(${rng.pick(NOUNS)}_id=${a}.id).limit(limit).all()`,
    `    if not rows:`,
    `        return []`,
    `    logger.info("${fn}: %d rows", len(rows))`,
    `    return [${snake(rng)}(r) for r in rows]`,
    "",
  ];
}

function goBlock(rng: Rng): string[] {
  const fn = ident(rng);
  const n = rng.pick(NOUNS);
  const T = n[0]!.toUpperCase() + n.slice(1);
  return [
    `// ${fn[0]!.toUpperCase()}${fn.slice(1)} ${sentence(rng, 7)}.`,
    `func (s *Service) ${fn[0]!.toUpperCase()}${fn.slice(1)}(ctx context.Context, id int64) (*${T}, error) {`,
    `\tvar out ${T}`,
    `\tif err := s.db.QueryRowContext(ctx, "SELECT * FROM ${n}s WHERE id = $1", id).Scan(&out.ID, &out.Name); err != nil {`,
    `\t\treturn nil, fmt.Errorf("${fn}: %w", err)`,
    "\t}",
    "\treturn &out, nil",
    "}",
    "",
  ];
}

function javaBlock(rng: Rng): string[] {
  const fn = ident(rng);
  const n = rng.pick(NOUNS);
  const T = n[0]!.toUpperCase() + n.slice(1);
  return [
    `    /** ${sentence(rng, 8)}. */`,
    `    public List<${T}> ${fn}(long ${n}Id, int limit) {`,
    `        List<${T}> result = repository.findBy${T}Id(${n}Id, PageRequest.of(0, limit));`,
    `        log.debug("${fn} returned {} rows", result.size());`,
    "        return result;",
    "    }",
    "",
  ];
}

function yamlBlock(rng: Rng): string[] {
  const n = rng.pick(NOUNS);
  return [
    `  ${n}-service:`,
    `    image: registry.example.com/${n}:${rng.range(1, 9)}.${rng.range(0, 30)}.${rng.range(0, 9)}`,
    `    replicas: ${rng.range(1, 6)}`,
    "    resources:",
    `      limits: { cpu: "${rng.range(1, 4)}", memory: ${rng.pick([256, 512, 1024])}Mi }`,
    `    env:`,
    `      - name: LOG_LEVEL`,
    `        value: ${rng.pick(["info", "debug", "warn"])}`,
    `      - name: ${n.toUpperCase()}_TIMEOUT_MS`,
    `        value: "${rng.range(100, 30000)}"`,
  ];
}

function jsonBlock(rng: Rng): string[] {
  const n = rng.pick(NOUNS);
  return [
    `  "${n}${rng.range(0, 99)}": { "enabled": ${rng.chance(0.5)}, "retries": ${rng.range(0, 9)}, "label": "${sentence(rng, 3)}" },`,
  ];
}

function mdBlock(rng: Rng): string[] {
  return [
    `## ${ident(rng)}`,
    "",
    `${sentence(rng, 14)}. ${sentence(rng, 10)}.`,
    "",
    `- ${sentence(rng, 6)}`,
    `- ${sentence(rng, 5)}`,
    "",
  ];
}

function tfBlock(rng: Rng): string[] {
  const n = rng.pick(NOUNS);
  return [
    `resource "aws_s3_bucket" "${n}_${rng.range(1, 99)}" {`,
    `  bucket = "acme-${n}-${rng.pick(["prod", "staging", "dev"])}"`,
    "  tags = {",
    `    Team = "${rng.pick(NOUNS)}"`,
    "  }",
    "}",
    "",
  ];
}

const SIMPLE_LINES: Record<string, (rng: Rng) => string[]> = {
  env: (r) => [
    `${r.pick(NOUNS).toUpperCase()}_${r.pick(["PORT", "HOST", "TIMEOUT", "ENABLED", "LEVEL"])}=${r.pick(["3000", "localhost", "30", "true", "info"])}`,
  ],
  sh: (r) => [
    `${snake(r)}() {`,
    `  echo "${sentence(r, 5)}" >&2`,
    `  ${r.pick(["kubectl", "docker", "npm", "git"])} ${r.pick(VERBS)} "$@"`,
    "}",
    "",
  ],
  dockerfile: (r) => [
    `RUN apt-get update && apt-get install -y --no-install-recommends ${r.pick(["curl", "git", "ca-certificates", "jq"])} && rm -rf /var/lib/apt/lists/*`,
    `COPY ${r.pick(NOUNS)}/ /app/${r.pick(NOUNS)}/`,
  ],
  properties: (r) => [
    `${r.pick(NOUNS)}.${r.pick(NOUNS)}.${r.pick(["timeout", "size", "enabled", "url"])}=${r.pick(["30", "100", "true", "http://localhost:8080"])}`,
  ],
  toml: (r) => [`[${r.pick(NOUNS)}]`, `enabled = ${r.chance(0.5)}`, `max_${r.pick(NOUNS)}s = ${r.range(1, 999)}`, ""],
};

/** A few lines of filler for a format (ipynb gets Python, wrapped by the notebook renderer). */
export function fillerBlock(rng: Rng, format: Format): string[] {
  switch (format) {
    case "ts":
    case "js":
      return tsBlock(rng);
    case "py":
    case "ipynb":
      return pyBlock(rng);
    case "go":
      return goBlock(rng);
    case "java":
      return javaBlock(rng);
    case "yaml":
      return yamlBlock(rng);
    case "json":
      return jsonBlock(rng);
    case "md":
      return mdBlock(rng);
    case "tf":
      return tfBlock(rng);
    default:
      return SIMPLE_LINES[format]!(rng);
  }
}

/** File extension (or name) for a format. */
export function fileNameFor(rng: Rng, format: Format): string {
  const base = `${rng.pick(NOUNS)}_${rng.pick(NOUNS)}${rng.range(1, 999)}`;
  const names: Record<Format, string> = {
    ts: `${base}.ts`,
    js: `${base}.js`,
    py: `${base}.py`,
    go: `${base}.go`,
    java: `${base[0]!.toUpperCase()}${base.slice(1)}.java`,
    yaml: `${base}.yaml`,
    json: `${base}.json`,
    env: rng.pick([".env", ".env.production", ".env.local", `${base}.env`]),
    md: `${base}.md`,
    tf: `${base}.tf`,
    dockerfile: rng.pick(["Dockerfile", `${base}.Dockerfile`]),
    sh: `${base}.sh`,
    properties: `${base}.properties`,
    toml: `${base}.toml`,
    ipynb: `${base}.ipynb`,
  };
  return names[format];
}

export const DIRS = [
  "src",
  "src/api",
  "src/lib",
  "services/billing",
  "services/auth",
  "config",
  "deploy",
  "deploy/k8s",
  "infra/terraform",
  "scripts",
  "docs",
  "notebooks",
  "tools",
  "pkg/store",
  "internal/http",
  "app/models",
];
