/**
 * True secrets for the benchmark corpora, one generator per provider format, written from
 * the providers' published token formats with random bodies (never copied from any
 * scanner's rules). Each returns what is written into the file and what counts as the secret.
 */

import { keyChecksum } from "../../src/keyformat/key-format.js";
import { encodeBase62 } from "../../src/lib/base62.js";
import { crc32 } from "../../src/lib/crc32.js";
import { BASE62, BASE64, BASE64URL, HEX, LETTERS, LOWER_ALNUM, type Rng, UPPER_ALNUM } from "../lib/prng.js";

/** A planted true secret. */
export interface Secret {
  provider: string;
  kind: string;
  /** The text written into the file (a URL or a PEM block may hold the secret inside it). */
  text: string;
  /** The raw secret whose SHA-256 a finding's secretHash should equal. */
  secret: string;
  /** Other spans a detector may reasonably report for the same secret (the whole URL, the PEM block...). */
  alternates: string[];
  /** A realistic variable/config name for it, SCREAMING_SNAKE. */
  varName: string;
  /** True when `text` spans several lines. */
  multiline?: boolean;
}

export type SecretMaker = (rng: Rng) => Secret;

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function simple(provider: string, kind: string, varNames: string[], make: (rng: Rng) => string): SecretMaker {
  return (rng) => {
    const value = make(rng);
    return { provider, kind, text: value, secret: value, alternates: [], varName: rng.pick(varNames) };
  };
}

/** GitHub/npm style: prefix + 30 base62 + base62 CRC32 of those 30, padded to 6. */
export function crcToken(rng: Rng, prefix: string): string {
  const body = rng.chars(BASE62, 30);
  return `${prefix}${body}${encodeBase62(crc32(body), 6)}`;
}

/** leakstop's own key (SPEC §6) with a seeded body instead of the CSPRNG. */
export function leakstopKey(rng: Rng, env: "live" | "test", issuer = "lsk"): string {
  const body = rng.chars(BASE62, 32);
  return `${issuer}_${env}_${body}${keyChecksum(issuer, env, body)}`;
}

function digits(rng: Rng, n: number): string {
  return rng.range(1, 9) + rng.chars("0123456789", n - 1);
}

/** Token makers by provider: keys are stable ids used in labels and reports. */
export const TOKEN_MAKERS: Record<string, SecretMaker> = {
  "aws-access-key-id": simple("AWS", "access-key-id", ["AWS_ACCESS_KEY_ID"], (r) => `AKIA${r.chars(B32, 16)}`),
  "aws-secret-access-key": simple("AWS", "secret-access-key", ["AWS_SECRET_ACCESS_KEY"], (r) => r.chars(BASE64, 40)),
  "github-pat": simple("GitHub", "pat", ["GITHUB_TOKEN", "GH_TOKEN"], (r) => crcToken(r, "ghp_")),
  "github-oauth": simple("GitHub", "oauth", ["GITHUB_OAUTH_TOKEN"], (r) => crcToken(r, "gho_")),
  "github-app": simple("GitHub", "app", ["GITHUB_APP_TOKEN"], (r) => crcToken(r, r.pick(["ghs_", "ghu_", "ghr_"]))),
  "github-fine-grained": simple("GitHub", "fine-grained-pat", ["GITHUB_PAT"], (r) => {
    return `github_pat_11${r.chars(UPPER_ALNUM, 20)}_${r.chars(BASE62, 59)}`;
  }),
  "gitlab-pat": simple(
    "GitLab",
    "pat",
    ["GITLAB_TOKEN", "CI_JOB_TOKEN_PRIVATE"],
    (r) => `glpat-${r.chars(BASE64URL, 20)}`,
  ),
  "gitlab-runner": simple("GitLab", "runner", ["RUNNER_TOKEN"], (r) => `glrt-${r.chars(BASE64URL, 20)}`),
  "slack-bot": simple("Slack", "bot-token", ["SLACK_BOT_TOKEN"], (r) => {
    return `xoxb-${digits(r, r.range(10, 13))}-${digits(r, r.range(10, 13))}-${r.chars(BASE62, 24)}`;
  }),
  "slack-user": simple("Slack", "user-token", ["SLACK_USER_TOKEN"], (r) => {
    return `xoxp-${digits(r, 12)}-${digits(r, 12)}-${digits(r, 13)}-${r.chars(HEX, 32)}`;
  }),
  "slack-webhook": (r) => {
    const path = `T${r.chars(UPPER_ALNUM, 10)}/B${r.chars(UPPER_ALNUM, 10)}/${r.chars(BASE62, 24)}`;
    const url = `https://hooks.slack.com/services/${path}`;
    return {
      provider: "Slack",
      kind: "webhook",
      text: url,
      secret: url,
      alternates: [path],
      varName: "SLACK_WEBHOOK_URL",
    };
  },
  "stripe-secret": simple("Stripe", "secret-key", ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], (r) => {
    return `${r.pick(["sk_live_", "sk_live_", "rk_live_", "sk_test_"])}${r.chars(BASE62, r.pick([24, 99]))}`;
  }),
  "stripe-webhook": simple(
    "Stripe",
    "webhook-secret",
    ["STRIPE_WEBHOOK_SECRET"],
    (r) => `whsec_${r.chars(BASE62, 32)}`,
  ),
  "openai-key": simple("OpenAI", "api-key", ["OPENAI_API_KEY"], (r) => {
    if (r.chance(0.3)) return `sk-${r.chars(BASE62, 20)}T3BlbkFJ${r.chars(BASE62, 20)}`;
    return `sk-proj-${r.chars(BASE64URL, 74)}T3BlbkFJ${r.chars(BASE64URL, 74)}`;
  }),
  "anthropic-key": simple(
    "Anthropic",
    "api-key",
    ["ANTHROPIC_API_KEY"],
    (r) => `sk-ant-api03-${r.chars(BASE64URL, 93)}AA`,
  ),
  "google-api-key": simple("Google", "api-key", ["GOOGLE_API_KEY", "FIREBASE_API_KEY"], (r) => {
    return `AIza${r.chars(BASE64URL, 35)}`;
  }),
  "google-oauth-secret": simple("Google", "oauth-client-secret", ["GOOGLE_CLIENT_SECRET"], (r) => {
    return `GOCSPX-${r.chars(BASE64URL, 28)}`;
  }),
  sendgrid: simple(
    "SendGrid",
    "api-key",
    ["SENDGRID_API_KEY"],
    (r) => `SG.${r.chars(BASE64URL, 22)}.${r.chars(BASE64URL, 43)}`,
  ),
  "twilio-api-key": simple("Twilio", "api-key", ["TWILIO_API_KEY"], (r) => `SK${r.chars(HEX, 32)}`),
  npm: simple("npm", "access-token", ["NPM_TOKEN", "NODE_AUTH_TOKEN"], (r) => crcToken(r, "npm_")),
  pypi: simple("PyPI", "upload-token", ["PYPI_TOKEN", "TWINE_PASSWORD"], (r) => {
    return `pypi-AgEIcHlwaS5vcmc${r.chars(BASE64URL, r.range(140, 200))}`;
  }),
  dockerhub: simple("Docker", "hub-pat", ["DOCKERHUB_TOKEN"], (r) => `dckr_pat_${r.chars(BASE64URL, 27)}`),
  "datadog-api": simple("Datadog", "api-key", ["DD_API_KEY", "DATADOG_API_KEY"], (r) => r.chars(HEX, 32)),
  "datadog-app": simple("Datadog", "app-key", ["DD_APP_KEY", "DATADOG_APP_KEY"], (r) => r.chars(HEX, 40)),
  shopify: simple(
    "Shopify",
    "access-token",
    ["SHOPIFY_ACCESS_TOKEN"],
    (r) => `${r.pick(["shpat_", "shpss_", "shpca_"])}${r.chars(HEX, 32)}`,
  ),
  huggingface: simple("Hugging Face", "token", ["HF_TOKEN", "HUGGINGFACE_TOKEN"], (r) => `hf_${r.chars(LETTERS, 34)}`),
  "azure-storage": (r) => {
    const key = `${r.chars(BASE64, 86)}==`;
    const account = `st${r.chars(LOWER_ALNUM, 10)}`;
    const text = `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`;
    return {
      provider: "Azure",
      kind: "storage-key",
      text,
      secret: key,
      alternates: [text],
      varName: "AZURE_STORAGE_CONNECTION_STRING",
    };
  },
  digitalocean: simple(
    "DigitalOcean",
    "token",
    ["DIGITALOCEAN_TOKEN"],
    (r) => `${r.pick(["dop_v1_", "doo_v1_"])}${r.chars(HEX, 64)}`,
  ),
  mailgun: simple("Mailgun", "api-key", ["MAILGUN_API_KEY"], (r) => `key-${r.chars(HEX, 32)}`),
  mailchimp: simple("Mailchimp", "api-key", ["MAILCHIMP_API_KEY"], (r) => `${r.chars(HEX, 32)}-us${r.range(1, 21)}`),
  "discord-webhook": (r) => {
    const url = `https://discord.com/api/webhooks/${digits(r, 18)}/${r.chars(BASE64URL, 68)}`;
    return {
      provider: "Discord",
      kind: "webhook",
      text: url,
      secret: url,
      alternates: [],
      varName: "DISCORD_WEBHOOK_URL",
    };
  },
  telegram: simple(
    "Telegram",
    "bot-token",
    ["TELEGRAM_BOT_TOKEN"],
    (r) => `${digits(r, 10)}:AA${r.chars(BASE64URL, 33)}`,
  ),
  "square-token": simple("Square", "access-token", ["SQUARE_ACCESS_TOKEN"], (r) => `EAAA${r.chars(BASE64URL, 60)}`),
  linear: simple("Linear", "api-key", ["LINEAR_API_KEY"], (r) => `lin_api_${r.chars(BASE62, 40)}`),
  notion: simple("Notion", "integration-token", ["NOTION_TOKEN"], (r) => `ntn_${digits(r, 11)}${r.chars(BASE62, 35)}`),
  postman: simple("Postman", "api-key", ["POSTMAN_API_KEY"], (r) => `PMAK-${r.chars(HEX, 24)}-${r.chars(HEX, 34)}`),
  newrelic: simple("New Relic", "user-key", ["NEW_RELIC_API_KEY"], (r) => `NRAK-${r.chars(UPPER_ALNUM, 27)}`),
  groq: simple("Groq", "api-key", ["GROQ_API_KEY"], (r) => `gsk_${r.chars(BASE62, 52)}`),
  vault: simple("HashiCorp Vault", "service-token", ["VAULT_TOKEN"], (r) => `hvs.${r.chars(BASE64URL, 90)}`),
  databricks: simple("Databricks", "token", ["DATABRICKS_TOKEN"], (r) => `dapi${r.chars(HEX, 32)}`),
  doppler: simple(
    "Doppler",
    "service-token",
    ["DOPPLER_TOKEN"],
    (r) => `dp.st.${r.pick(["prd", "dev"])}.${r.chars(BASE62, 43)}`,
  ),
  pulumi: simple("Pulumi", "access-token", ["PULUMI_ACCESS_TOKEN"], (r) => `pul-${r.chars(HEX, 40)}`),
  "age-key": simple(
    "age",
    "secret-key",
    ["SOPS_AGE_KEY"],
    (r) => `AGE-SECRET-KEY-1${r.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`,
  ),
  "leakstop-live": simple("leakstop", "own-key", ["LEAKSTOP_API_KEY", "LSK_KEY"], (r) => leakstopKey(r, "live")),
  "leakstop-test": simple("leakstop", "own-key", ["LEAKSTOP_TEST_KEY"], (r) => leakstopKey(r, "test")),
};
