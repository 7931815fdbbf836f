// A local OpenID Connect provider standing in for Login.gov in the tests: panva's oidc-provider (npm,
// devDependency), configured like Login.gov where it matters to us. Started by tests/oidc_provider.py.
//
// - Discovery, JWKS, authorization, token and userinfo endpoints are oidc-provider's own, on 127.0.0.1 and
//   a free port; the issuer is printed as one JSON line on stdout once the server listens.
// - Clients come from OIDC_TEST_CLIENTS (JSON): private_key_jwt with the test's public key, as Login.gov's
//   web apps, and a public client with PKCE.
// - The ID token carries sub, acr and nonce; email and email_verified come only from userinfo, as at
//   Login.gov. Emails listed in OIDC_TEST_UNVERIFIED (JSON) are reported with email_verified false.
// - The sign-in page (our own, below) asks only for an email address: Login.gov's password and MFA are
//   not what these tests are about. It answers prompt=select_account, which Login.gov requires.

import { createHash, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const ACR = 'urn:acr.login.gov:auth-only';
const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS || '[]');
const unverified = new Set(JSON.parse(process.env.OIDC_TEST_UNVERIFIED || '[]'));
const emails = new Map(); // sub -> email, filled as people sign in

// Login.gov's sub is a UUID that never changes for an account; here, one derived from the email.
function subjectFor(email) {
  const hex = createHash('sha256').update(email).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test-signing-key' };

const configuration = {
  clients,
  jwks: { keys: [signingKey] },
  clientAuthMethods: ['private_key_jwt', 'none'],
  scopes: ['openid', 'email'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  acrValues: [ACR],
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const email = emails.get(sub);
    if (!email) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email, email_verified: !unverified.has(email) };
      },
    };
  },
};

function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1><p>Stands in for Login.gov in the tests.</p>${body}</main></body></html>`);
}

async function formBody(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

async function interaction(provider, req, res) {
  const [, , uid, action] = new URL(req.url, 'http://local').pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    return page(res, 200, `<form method="post" action="/interaction/${uid}/login">
<label for="email">Email address</label> <input id="email" name="email" type="email" required autofocus>
<button type="submit">Sign in</button></form>`);
  }
  if (req.method !== 'POST' || action !== 'login') return page(res, 405, '<p>Not allowed.</p>');
  const email = ((await formBody(req)).get('email') || '').trim().toLowerCase();
  const sub = subjectFor(email);
  emails.set(sub, email);
  const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const result = {
    select_account: {},
    login: { accountId: sub, acr: ACR, amr: ['pwd', 'otp'] },
    consent: { grantId },
  };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    return interaction(provider, req, res).catch((error) => {
      console.error(error);
      page(res, 400, `<p>${String(error.message).replace(/[<>&]/g, '')}</p>`);
    });
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
