/**
 * Whole files whose format itself is the leak: ~/.aws/credentials, .npmrc, .pypirc,
 * .git-credentials, .netrc, Docker's config.json, a GCP service-account key, a kubeconfig,
 * a bare OpenSSH key file. Each returns its text and where its secrets are.
 */
import { BASE62, HEX, type Rng } from "../lib/prng.js";
import { ed25519Pem, opensshEd25519 } from "./structured.js";
import { type Secret, TOKEN_MAKERS } from "./tokens.js";

export interface SpecialFile {
  path: string;
  text: string;
  planted: { maker: string; line: number; endLine: number; secret: Secret }[];
}

const secret = (provider: string, kind: string, value: string, alternates: string[] = []): Secret => ({
  provider,
  kind,
  text: value,
  secret: value,
  alternates,
  varName: kind,
});

/** Line (1-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

type Maker = (rng: Rng, home: string) => SpecialFile;

const MAKERS: Record<string, Maker> = {
  "aws-credentials-file": (r, home) => {
    const id = TOKEN_MAKERS["aws-access-key-id"]!(r);
    const key = TOKEN_MAKERS["aws-secret-access-key"]!(r);
    const text = `[default]\nregion = eu-west-1\n\n[deploy]\naws_access_key_id = ${id.text}\naws_secret_access_key = ${key.text}\n`;
    return {
      path: `${home}/.aws/credentials`,
      text,
      planted: [
        { maker: "aws-access-key-id", line: 5, endLine: 5, secret: id },
        { maker: "aws-secret-access-key", line: 6, endLine: 6, secret: key },
      ],
    };
  },
  npmrc: (r, home) => {
    const tok = TOKEN_MAKERS.npm!(r);
    const text = `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${tok.text}\nsave-exact=true\n`;
    return { path: `${home}/.npmrc`, text, planted: [{ maker: "npm", line: 2, endLine: 2, secret: tok }] };
  },
  pypirc: (r, home) => {
    const tok = TOKEN_MAKERS.pypi!(r);
    const text = `[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = ${tok.text}\n`;
    return { path: `${home}/.pypirc`, text, planted: [{ maker: "pypi", line: 7, endLine: 7, secret: tok }] };
  },
  "git-credentials": (r, home) => {
    const tok = TOKEN_MAKERS["github-pat"]!(r);
    const text = `https://ci-bot:${tok.text}@github.com\n`;
    return {
      path: `${home}/.git-credentials`,
      text,
      planted: [{ maker: "github-pat", line: 1, endLine: 1, secret: tok }],
    };
  },
  netrc: (r, home) => {
    const pw = r.chars(BASE62, 24);
    const text = `machine api.internal.acme.io\n  login deploy\n  password ${pw}\n`;
    return {
      path: `${home}/.netrc`,
      text,
      planted: [{ maker: "netrc", line: 3, endLine: 3, secret: secret("Generic", "netrc", pw) }],
    };
  },
  "docker-config": (r, home) => {
    const pat = TOKEN_MAKERS.dockerhub!(r);
    const auth = Buffer.from(`acmeci:${pat.text}`).toString("base64");
    const text = `{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
    const s = secret("Docker", "config-auth", auth, [pat.text, `acmeci:${pat.text}`]);
    return {
      path: `${home}/.docker/config.json`,
      text,
      planted: [{ maker: "docker-config", line: 4, endLine: 4, secret: s }],
    };
  },
  "gcp-service-account": (r, home) => {
    const pem = ed25519Pem(r);
    const json = {
      type: "service_account",
      project_id: `acme-${r.chars("abcdefghijklmnopqrstuvwxyz", 6)}`,
      private_key_id: r.chars(HEX, 40),
      private_key: pem,
      client_email: "deployer@acme-prod.iam.gserviceaccount.com",
      client_id: r.chars("0123456789", 21),
    };
    const text = `${JSON.stringify(json, null, 2)}\n`;
    const s = secret("Private key", "gcp-service-account", pem.trim(), [pem, JSON.stringify(pem).slice(1, -1)]);
    const line = lineOf(text, '"private_key"');
    return {
      path: `${home}/keys/acme-prod-sa.json`,
      text,
      planted: [{ maker: "gcp-service-account", line, endLine: line, secret: s }],
    };
  },
  kubeconfig: (r, home) => {
    const pem = ed25519Pem(r);
    const b64 = Buffer.from(pem).toString("base64");
    const text = [
      "apiVersion: v1",
      "kind: Config",
      "users:",
      "- name: admin",
      "  user:",
      `    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t${r.chars(BASE62, 60)}`,
      `    client-key-data: ${b64}`,
      "",
    ].join("\n");
    const s = secret("Private key", "kubeconfig-client-key", b64, [pem.trim(), pem]);
    return { path: `${home}/.kube/config`, text, planted: [{ maker: "kubeconfig", line: 7, endLine: 7, secret: s }] };
  },
  "ssh-key-file": (r, home) => {
    const pem = opensshEd25519(r);
    const s = secret("Private key", "openssh-file", pem.trim(), [pem]);
    const lines = pem.trim().split("\n").length;
    return {
      path: `${home}/.ssh/id_ed25519`,
      text: pem,
      planted: [{ maker: "ssh-key-file", line: 1, endLine: lines, secret: s }],
    };
  },
};

/** `perKind` files of every kind, each in its own fake home directory. */
export function specialFiles(rng: Rng, perKind: number): SpecialFile[] {
  const out: SpecialFile[] = [];
  for (const [kind, make] of Object.entries(MAKERS)) {
    for (let i = 0; i < perKind; i++) out.push(make(rng, `homes/${kind}-${i}`));
  }
  return out;
}
