/**
 * Which leakstop provider a peer scanner's rule is about: by name (gitleaks rule ids such as
 * "github-fine-grained-pat", TruffleHog detector folders such as "slackwebhook"), matched against
 * leakstop's provider names and detector file names, plus a few aliases where the names differ.
 */
import { basename } from "node:path";
import type { RuleSpec } from "../../src/rules/rule-spec.js";

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Peer names (normalised) that do not start with leakstop's name for the same provider. */
const ALIASES: Record<string, string> = {
  gcp: "Google Cloud",
  meraki: "Cisco Meraki",
  googlecloud: "Google Cloud",
  gcpapplicationdefaultcredentials: "Google Cloud",
  googleoauth2: "Google Cloud",
  microsoftteams: "Microsoft Teams",
  msteams: "Microsoft Teams",
  hashicorptf: "HashiCorp Terraform",
  terraformcloud: "HashiCorp Terraform",
  terraform: "HashiCorp Terraform",
  vault: "HashiCorp Vault",
  hashicorpvault: "HashiCorp Vault",
  consul: "HashiCorp Consul",
  nomad: "HashiCorp Nomad",
  facebook: "Meta (Facebook)",
  huggingface: "Hugging Face",
  privatekey: "Private key",
  pkcs: "Private key",
  jwt: "JWT",
  sendinblue: "Brevo",
  dockerhub: "Docker Hub",
  mongodb: "MongoDB",
  postgres: "PostgreSQL",
  sqlserver: "SQL Server",
  uri: "URL credentials",
  ftp: "URL credentials",
  ldap: "URL credentials",
  newrelic: "New Relic",
  sumologic: "Sumo Logic",
  flyio: "Fly.io",
  teamcity: "JetBrains TeamCity",
  youtrack: "JetBrains YouTrack",
  age: "age",
  kubernetes: "Kubernetes",
  openvpn: "OpenVPN",
  travisci: "Travis CI",
  travis: "Travis CI",
  droneci: "Drone CI",
  saucelabs: "Sauce Labs",
  betterstack: "Better Stack",
  logzio: "Logz.io",
  planetscaledb: "PlanetScale",
  generic: "Generic",
  alibaba: "Alibaba Cloud",
  tencent: "Tencent Cloud",
  huawei: "Huawei Cloud",
  oracle: "Oracle Cloud",
  ibm: "IBM Cloud",
  ibmcloud: "IBM Cloud",
  mercadopago: "Mercado Pago",
  adafruit: "Adafruit IO",
  authorizenet: "Authorize.net",
  checkout: "Checkout.com",
  fireworks: "Fireworks AI",
  fireworksai: "Fireworks AI",
  mistral: "Mistral AI",
  togetherai: "Together AI",
  stabilityai: "Stability AI",
  jinaai: "Jina AI",
  neptune: "Neptune.ai",
  denodeploy: "Deno Deploy",
  frameio: "Frame.io",
  gradle: "Gradle Plugin Portal",
  hexpm: "Hex.pm",
  rubygems: "RubyGems",
  pypi: "PyPI",
  nuget: "NuGet",
  rails: "Ruby on Rails",
  mongodbatlas: "MongoDB Atlas",
  line: "LINE",
  linemessaging: "LINE",
  snyk: "Snyk",
  artifactory: "JFrog",
  mandrill: "Mailchimp",
  weightsandbiases: "Weights & Biases",
  googlegemini: "Google Cloud",
  nvapi: "NVIDIA",
  npm: "npm",
  npmtoken: "npm",
};

/** Peer names a prefix would map to the wrong provider (Elastic Email is not Elastic). */
const OTHER_PROVIDER = new Set(["elasticemail", "squarespace"]);

export interface ProviderMap {
  /** The leakstop provider a peer rule name is about, or null (not covered). */
  providerOf(peerRule: string): string | null;
  /** Every leakstop provider's rules. */
  rulesOf(provider: string): RuleSpec[];
}

export function providerMap(rules: RuleSpec[]): ProviderMap {
  const byKey = new Map<string, string>();
  const byProvider = new Map<string, RuleSpec[]>();
  for (const r of rules) {
    byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
    const file = basename(r.origin.split(":")[0]!, ".toml");
    for (const k of [norm(r.provider), norm(file)]) if (k.length >= 2 && !byKey.has(k)) byKey.set(k, r.provider);
  }
  for (const [k, p] of Object.entries(ALIASES)) if (byProvider.has(p)) byKey.set(k, p);
  const keys = [...byKey.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, string | null>();
  return {
    providerOf(peerRule) {
      if (cache.has(peerRule)) return cache.get(peerRule)!;
      // "aws/session_keys" → "aws"; "github-fine-grained-pat" → tried whole, then shorter.
      const head = peerRule.split("/")[0]!;
      const parts = head.split(/[-_]/);
      let found: string | null = null;
      for (let n = parts.length; n > 0 && !found; n--) found = byKey.get(norm(parts.slice(0, n).join(""))) ?? null;
      if (!found && !OTHER_PROVIDER.has(norm(head))) {
        const whole = norm(head);
        const k = keys.find((key) => key.length >= 4 && whole.startsWith(key));
        found = k ? byKey.get(k)! : null;
      }
      cache.set(peerRule, found);
      return found;
    },
    rulesOf: (provider) => byProvider.get(provider) ?? [],
  };
}
