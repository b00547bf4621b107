// An example Better Auth server for todo-fcgi: people sign up and sign in here with an email
// and a password; its JWT plugin gives a signed-in client a short-lived JWT (EdDSA, 15 minutes)
// from GET /api/auth/token, and publishes the public keys at /api/auth/jwks, where todo-fcgi
// (EXTERNAL_JWKS_URL) fetches them to verify those tokens. Data lives in PostgreSQL.
//
//   node server.mjs migrate   create or update its tables, then exit
//   node server.mjs           serve on HOST:PORT (loopback by default)
//
// Settings, from the environment (README.md beside this file):
//   BETTER_AUTH_URL            its public base URL, e.g. https://todo.example.org (required);
//                              also the iss and aud of its tokens
//   BETTER_AUTH_SECRET         at least 32 random bytes (required): encrypts its private keys
//   BETTER_AUTH_DATABASE_URL   libpq URL of a database of its own (required)
//   BETTER_AUTH_TRUSTED_ORIGINS  comma-separated origins allowed to call it besides its own
//   HOST, PORT                 where it listens (127.0.0.1, 3000)
//   BETTER_AUTH_TEST_SIGNER=1  tests only: POST /test/sign {"payload": {...}} answers a JWT
//                              of that payload signed with the current key (claims a real
//                              token would never have: another iss, aud, an old exp). Never
//                              set it where anyone but the test can reach the server.
import http from "node:http";
import process from "node:process";

import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { jwt } from "better-auth/plugins/jwt";
import pg from "pg";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`better-auth example: ${name} is not set (see README.md)`);
    process.exit(2);
  }
  return value;
}

const baseURL = required("BETTER_AUTH_URL");
const secret = required("BETTER_AUTH_SECRET");
if (Buffer.byteLength(secret) < 32) {
  console.error("better-auth example: BETTER_AUTH_SECRET needs at least 32 bytes (openssl rand -base64 48)");
  process.exit(2);
}
const database = new pg.Pool({ connectionString: required("BETTER_AUTH_DATABASE_URL"), max: 5 });
// An idle connection the server closes (a PostgreSQL restart) is an error
// event on the pool: unhandled, it would end the process. The next query
// opens a new connection.
database.on("error", (error) => console.error(`better-auth example: database: ${error.message}`));
const trustedOrigins = (process.env.BETTER_AUTH_TRUSTED_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);

const options = {
  baseURL,
  secret,
  database,
  trustedOrigins,
  emailAndPassword: { enabled: true },
  // The plugin's defaults are what todo-fcgi expects: EdDSA (Ed25519) keys, iss and aud the
  // base URL, sub the user id, tokens valid 15 minutes.
  plugins: [jwt()],
  telemetry: { enabled: false },
};

if (process.argv[2] === "migrate") {
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  await database.end();
  console.log("better-auth example: the database is up to date");
  process.exit(0);
}

const auth = betterAuth(options);
const handler = toNodeHandler(auth);
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

const testSigner = process.env.BETTER_AUTH_TEST_SIGNER === "1";

// The JSON body of a request, parsed.
async function jsonBody(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

async function sign(req, res) {
  try {
    const { payload } = await jsonBody(req);
    const { token } = await auth.api.signJWT({ body: { payload } });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
  } catch (error) {
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ detail: String(error) }));
  }
}

const server = http.createServer((req, res) => {
  if (testSigner && req.method === "POST" && req.url === "/test/sign") {
    sign(req, res);
    return;
  }
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}\n');
    return;
  }
  if (!req.url.startsWith("/api/auth/")) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}\n');
    return;
  }
  handler(req, res);
});

server.listen(port, host, () => {
  console.log(`better-auth example: listening on http://${host}:${port}, base URL ${baseURL}`);
});

// systemd and the test harness stop it with SIGTERM: finish what is in flight, then exit.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => database.end().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
