/**
 * The generic entropy detector (generic-secret, detectors/generic.toml) gets its forms from the shared
 * assignment forms (src/rules/assignment-forms.ts): one random secret, written in each form in the
 * file types where that form occurs, is found; near misses, references, placeholders, hashes, ids and
 * prose are not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinEngine, detect } from "../../helpers/engine.js";

const S = "Xk9vQ2mPz7LwR4tY8nB3cF6h";

/** [form, path, text]: S under a secret-like name. */
const POSITIVES: [string, string, string][] = [
  ["=", ".env", `DB_PASSWORD=${S}`],
  ["= (INI)", "app.ini", `[db]\npassword = ${S}`],
  ["= (TOML)", "config.toml", `api_secret = "${S}"`],
  [": (YAML)", "values.yaml", `db:\n  password: "${S}"`],
  [": (JSON)", "config.json", `{ "apiSecret": "${S}" }`],
  [":=", "main.go", `dbPassword := "${S}"`],
  ["=>", "config.php", `'db_password' => '${S}',`],
  ["+=", "Makefile", `DEPLOY_TOKEN += ${S}`],
  [".=", "setup.php", `$api_secret .= '${S}';`],
  ["?=", "Makefile", `DB_PASSWORD ?= ${S}`],
  ["subscript", "settings.py", `os.environ["DB_PASSWORD"] = "${S}"`],
  ["subscript in a notebook cell", "explore.ipynb", `"source": ["os.environ[\\"DB_PASSWORD\\"] = \\"${S}\\"\\n"]`],
  ["query parameter in a URL literal, another after it", "client.py", `r = get(f"{API}/items?api_key=${S}&page=2")`],
  ["query parameter in code, an empty one after it", "a.js", `const u = "/v1?token=${S}&user=";`],
  [
    "query parameter (YAML), another after it",
    "values.yaml",
    `url: "https://x.example/v1?page=2&access_token=${S}&sort=asc"`,
  ],
  ["dict literal", "settings.py", `opts = {"api_secret": "${S}", "debug": True}`],
  ["hash literal", "config.rb", `{ api_secret: "${S}" }`],
  // A string before the name is no argument of it (`"apikey", password`): the value after `password:` is found.
  ["hash literal, after a string", "smtp.rb", `smtp = { user_name: "apikey", password: "${S}" }`],
  ["comparison", "a.py", `if password == "${S}":`],
  ["comparison reversed", "a.py", `if "${S}" == api_secret:`],
  ["comparison reversed (JS)", "check.js", `if ('${S}' === config.apiSecret) {`],
  ["typed (Go)", "b.go", `var dbPassword string = "${S}"`],
  ["typed (TypeScript)", "config.ts", `const apiSecret: string = "${S}";`],
  ["terraform default", "c.tf", `variable "db_password" {\n  default = "${S}"\n}`],
  ["terraform default, typed", "c.tf", `variable "db_password" {\n  type = string\n  default = "${S}"\n}`],
  ["terraform name/value", "main.tf", `env {\n  name  = "API_SECRET"\n  value = "${S}"\n}`],
  ["kubernetes env", "deploy.yaml", `env:\n  - name: API_SECRET\n    value: "${S}"`],
  ["xml element", "settings.xml", `<password>${S}</password>`],
  ["xml element, own line", "settings.xml", `<apiSecret>\n    ${S}\n</apiSecret>`],
  ["xml attribute", "App.config", `<add key="ApiSecret" value="${S}" />`],
  ["xml property", "build.xml", `<property name="db.password" value="${S}"/>`],
  ["argument", "setup.js", `config.set("api_secret", "${S}");`],
  ["argument (named)", "app.py", `connect(host="db", password="${S}")`],
  ["constructor", "Main.java", `Credentials c = new Credentials("admin", password, "${S}");`],
  ["cli --token V", "deploy.sh", `vault login --token ${S}`],
  ["cli --password=V", "deploy.sh", `./cli login --password=${S}`],
  ["export", "deploy.sh", `export API_SECRET="${S}"`],
  ["setx", "d.bat", `setx API_SECRET "${S}"`],
  ["setx, unquoted", "d.bat", `setx API_SECRET ${S}`],
  ["ENV", "Dockerfile", `ENV API_SECRET ${S}`],
  ["ENV =", "Dockerfile", `ENV API_SECRET=${S}`],
  ["\\n escape", "e.js", `const cfg = "host=x\\npassword=${S}\\nuser=y";`],
  ["\\t escape", "e.js", `const cfg = "host=x\\tpassword=${S}\\tuser=y";`],
  ["%XX escape", "e.js", `const u = "a=b%26token%3D${S}%26x";`],
  // NAME=V closing a string literal: an env line, a list element, a call's argument, a flag inside one string.
  ["KEY=V in a string (JS)", "e.js", `const a = "password=${S}";`],
  ["KEY=V in a string, upper case", "e.js", `const a = "API_TOKEN=${S}";`],
  ["KEY=V as an argument", "e.js", `x("password=${S}")`],
  ["KEY=V in a list (Python)", "e.py", `env = ["API_TOKEN=${S}"]`],
  ["\\t escape, string closes", "e.js", `const a = "x\\tpassword=${S}";`],
  ["\\n escape, string closes", "e.js", `const a = "x\\npassword=${S}";`],
  // A name on the line after a section: the nested key's own value.
  ["nested key (YAML)", "values.yaml", `secrets:\n  db-password: ${S}`],
  ["nested quoted key (YAML)", "values.yaml", `credentials:\n  "db-password": "${S}"`],
  ["value on its own line", "values.yaml", `password:\n  ${S}`],
  ["header", "f.sh", `curl -H "X-API-Key: ${S}" https://api.example.com/v1`],
  // A setter called with a string literal: the call stores the value, as an assignment does.
  ["setter (Java)", "User.java", `user.setPassword("${S}");`],
  ["setter, no receiver (Java)", "User.java", `setPassword("${S}");`],
  ["setter, camel case (Kotlin)", "Client.kt", `client.setApiKey("${S}")`],
  ["setter, snake case (Python)", "vault.py", `client.set_secret('${S}')`],
  ["setter, then more (Java)", "User.java", `user.setPassword("${S}".toCharArray());`],
  // NAME=V or NAME: V inside a string literal: a connection string, a DSN, a log or config text embedded in code.
  ["name: V closing a string", "e.js", `const cfg = "password: ${S}";`],
  ["name: V in a string, then more", "e.js", `const conn = "Server=db;User Id=sa;password: ${S};";`],
  ["NAME=V in settings text", "Mail.cs", `var s = "smtp.user=app; smtp.password=${S}; smtp.port=587";`],
  ["NAME=V in a DSN (libpq)", "db.py", `conn = psycopg2.connect("host=db user=app password=${S} dbname=shop")`],
  ["NAME=V in a log text", "e.js", `log.info("connecting with api_key=${S} and host=x");`],
  ["NAME: V in single quotes", "e.rb", `cfg = 'api_key: ${S}'`],
];

/** [form, path, text, passphrase]: a passphrase of four or more drawn words under a password's name. */
const PASSPHRASES: [string, string, string, string][] = [
  ["INI", "app.ini", "[db]\npassword = tundra-wobble-quietly-nineteen", "tundra-wobble-quietly-nineteen"],
  [".env", ".env", "DB_PASSWORD=correct-horse-battery-staple", "correct-horse-battery-staple"],
  ["YAML", "values.yaml", 'smtp:\n  passphrase: "Lantern-Orbit-Cactus-Mural7"', "Lantern-Orbit-Cactus-Mural7"],
  ["quoted in code", "settings.py", 'PASSWORD = "gravel-outshine-pelican-thimble"', "gravel-outshine-pelican-thimble"],
];

/** [case, path, text]: no secret the generic detector may report. */
const NEGATIVES: [string, string, string][] = [
  ["prose", "README.md", `the password is ${S} for now`],
  ["space, no flag or export", "notes.txt", `api_secret ${S}`],
  ["identifier", "a.py", `if password == user_supplied_password:`],
  ["env reference", "deploy.sh", "export API_SECRET=$API_SECRET_FROM_VAULT"],
  ["env reference (braces)", "d.bat", "setx API_SECRET $" + "{API_SECRET}"],
  ["placeholder", "c.tf", `variable "db_password" {\n  default = "<your-db-password>"\n}`],
  ["placeholder word", "Dockerfile", "ENV API_SECRET YOUR_API_SECRET_HERE"],
  ["hash name", "b.go", 'var passwordHash string = "5f4dcc3b5aa765d61d8327deb882cf99"'],
  ["uuid", "config.json", '{ "clientToken": "4752b573-40a6-4eac-a8a4-a72058761219" }'],
  ["comparison with a word", "a.py", 'if token_type == "refresh_token":'],
  ["comparison, a variable", "check.js", "if (password === confirmPassword) {"],
  ["argument, not a string", "a.py", "def delete_stream(token, limit=390):"],
  ["a call that looks a token up", "a.js", "rzp.customers.fetchToken('cust_6fpspJYDovP0Tg', 'tkn_YDovP0Tg6fpsp')"],
  [
    "ARN segment",
    "a.yaml",
    "Resource: arn:aws:secretsmanager:$" + "{aws:region}:$" + "{aws:accountId}:secret:kafka-cred",
  ],
  ["value-block, a file", "task.json", '{"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db_password"}'],
  ["terraform, not the default", "c.tf", `variable "db_password" {\n  description = "${S}"\n}`],
  ["unquoted in code", "a.js", "password = options.passwordFromEnvironment"],
  // The front of a longer string, format strings and URL query templates.
  ["string concatenated", "a.js", 'const q = "token=" + x;'],
  ["string concatenated, then more", "a.js", 'const q = "password=" + pw + "&";'],
  ["format %s", "a.py", 'q = "password=%s" % pw'],
  ["format {}", "a.py", 'q = "token={}".format(t)'],
  ["f-string", "a.py", 'q = f"token={tok}"'],
  ["query template", "a.js", 'const u = "https://api.example.com/v1?api_key={key}&q=";'],
  ["query template ($)", "a.js", "const u = `/v1/items?token=$" + "{TOKEN}`;"],
  // A nested mapping key on the line after a name is no value (git/git's "What's cooking" topics).
  [
    "nested key, a topic",
    "whats-cooking.txt",
    "* jk/mediawiki-credential:\n  mw-to-git: use git-credential's URL parser",
  ],
  ["nested key, a setting", "policy.yaml", "password:\n  min-length: 12"],
  // Setters: no literal, an empty one, a placeholder, a test value, a hash, and setters of what is no secret.
  ["setter, a flag", "Login.java", "field.setPasswordVisible(true);"],
  ["setter, a variable", "User.java", "user.setPassword(password);"],
  ["setter, the environment", "User.java", 'user.setPassword(System.getenv("DB_PASSWORD"));'],
  ["setter, an empty string", "a.js", 'setToken("")'],
  ["setter, a placeholder", "User.java", 'user.setApiKey("YOUR_API_KEY");'],
  ["setter, a template", "User.java", 'user.setApiKey("$" + "{API_KEY}");'],
  ["setter, a test value", "UserTest.java", 'user.setPassword("testing321");'],
  ["setter, a stand-in word", "UserTest.java", 'user.setPassword("admin1234");'],
  ["setter, a self-describing value", "a.py", "user.set_password('test_password_123')"],
  [
    "setter, a bcrypt hash",
    "User.java",
    'user.setPassword("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy");',
  ],
  ["setter of a hash", "User.java", 'user.setPasswordHash("5f4dcc3b5aa765d61d8327deb882cf99");'],
  ["setter of a secret's name", "a.py", 'self.set_secret_name("prod-db-credentials")'],
  ["setter of an endpoint", "A.java", 'setTokenEndpoint("https://auth.example.com/oauth/token");'],
  ["setter of a header", "A.java", 'helper.setApiKeyHeader("X-Api-Key-Header");'],
  ["a getter's argument is a lookup key", "A.java", `vault.getSecret("${S}");`],
  ["a method of an encoder", "A.java", `user.setPassword(encoder.encode("${S}"));`],
  // Text in string literals that names a secret and holds none: labels, prompts, messages, format strings, SQL.
  ["label", "a.js", 'label: "Password: "'],
  ["i18n label", "a.js", 'i18n = { passwordLabel: "Password: " }'],
  ["message, a word", "a.js", 'const msg = "Invalid password: PasswordTooShort";'],
  ["message, prose", "a.js", 'throw new Error("Missing api_key: pass it in the constructor");'],
  ["message, an identifier", "a.js", 'const s = "token: tokenFromResponseBody";'],
  ["placeholder text", "a.js", 'placeholder="Password: at least 8 characters"'],
  ["printf", "a.py", 'print("Password: %s" % pw)'],
  ["format {}", "a.py", 'print("password: {}".format(pw))'],
  ["f-string", "a.py", 'print(f"password: {pw}")'],
  ["log with %s", "a.py", 'log.info("api_key=%s user=%s", key, user)'],
  ["template literal", "a.js", "console.log(`token: $" + "{token}`)"],
  ["Ruby interpolation", "a.rb", 'puts "password: #{password}"'],
  ["Go Sprintf", "a.go", 'fmt.Sprintf("password=%s dbname=%s", pw, db)'],
  ["DSN concatenated", "a.go", 'dsn := "host=db user=app password=" + pw + " dbname=x"'],
  ["C# interpolation", "a.cs", 'var s = $"Server=db;Password={password};";'],
  ["SQL parameter", "A.java", 'String sql = "UPDATE users SET password = :password WHERE id = :id";'],
  ["help text", "a.py", 'help="password: the database password (default: from $DB_PASSWORD)"'],
  ["env reference in a string", "a.js", 'const yaml = "password: $DB_PASSWORD";'],
  ["masked", "a.js", 'const x = "password: ********";'],
  ["regex", "a.py", 'm = re.match(r"password: (\\S+)", line)'],
  ["a comment with an apostrophe", "a.js", `// don't log the password: ${S}`],
  ["a sentence with an apostrophe", "a.js", "x = it's the password: Xk9vQ2mPz7LwR4tY8nB3cF6h"],
  // Hyphenated words that are a phrase, a placeholder or a name, or fewer than four words, or not under a password's name.
  ["phrase, a placeholder", "app.ini", "password = change-me-please"],
  ["phrase, an instruction", "app.ini", "password = see-the-team-vault"],
  ["phrase, an instruction (2)", "app.ini", "password = please-rotate-this-monthly"],
  ["phrase, a setting's words", "app.ini", "password = dev-admin-local-only"],
  ["phrase, a policy", "policy.yaml", "password_policy: require-upper-lower-digit-symbol"],
  ["three words", "app.ini", "password = gravel-outshine-pelican"],
  ["words under a token's name", "ci.yaml", "token: github-actions-deploy-bot"],
  ["words under a key's name", "ci.yaml", "api_key: alpha-bravo-charlie-delta"],
  ["the same word", "app.ini", "passphrase = tundra-tundra-tundra-tundra"],
  ["words in code, unquoted", "a.py", "password = correct - horse - battery - staple"],
  ["words in code, an expression", "a.py", "password = correct-horse-battery-staple"],
];

/** [form, text]: a bearer token in a request's Authorization header (http-bearer-auth-header). */
const HEADERS: [string, string][] = [
  ["curl -H", `curl -H "Authorization: Bearer ${S}" https://api.example.com/v1`],
  ["curl --header", `curl --header 'Authorization: Bearer ${S}' https://api.example.com/v1`],
  ["wget --header=", `wget --header="Authorization: Token ${S}" https://api.example.com/v1`],
  ["httpie", `http GET https://api.example.com/v1 Authorization:"Bearer ${S}"`],
  ["fetch", `fetch(url, { headers: { Authorization: "Bearer ${S}" } })`],
];

describe("generic-secret: the shared forms", () => {
  const engine = builtinEngine();

  // The generic family: an XML element or a CLI flag may be reported by its own generic rule on the same bytes.
  it("finds one secret in every form, in the file types where it occurs", () => {
    const missed = POSITIVES.filter(([, path, text]) => {
      const found = detect(engine, text, path).filter((f) => f.ruleId.startsWith("generic-"));
      return !found.some((f) => f.match === S);
    }).map(([form, path]) => `${form} (${path})`);
    assert.deepEqual(missed, []);
  });

  it("finds a passphrase of drawn words under a password's name", () => {
    const missed = PASSPHRASES.filter(
      ([, path, text, phrase]) =>
        !detect(engine, text, path).some((f) => f.ruleId === "generic-secret" && f.match === phrase),
    ).map(([form]) => form);
    assert.deepEqual(missed, []);
  });

  it("reports none of the near misses", () => {
    const found = NEGATIVES.filter(([, path, text]) =>
      detect(engine, text, path).some((f) => f.ruleId.startsWith("generic")),
    ).map(([what]) => what);
    assert.deepEqual(found, []);
  });

  it("finds a bearer token in an Authorization header, in curl, wget, httpie and fetch", () => {
    const missed = HEADERS.filter(
      ([, text]) => !detect(engine, text, "f.sh").some((f) => f.ruleId === "http-bearer-auth-header" && f.match === S),
    ).map(([form]) => form);
    assert.deepEqual(missed, []);
  });

  it("the position is the value's, in a reversed comparison too", () => {
    const [f] = detect(engine, `if "${S}" == api_secret:`, "a.py");
    assert.equal(f?.startColumn, 5);
  });
});
