/**
 * A Microsoft identity platform emulator (HTTPS, 127.0.0.1, random port) for the client
 * credentials flow `@azure/identity` uses: `/{tenant}/v2.0/.well-known/openid-configuration` and
 * `POST /{tenant}/oauth2/v2.0/token`. A client proves itself with its secret or with a JWT client
 * assertion signed by its certificate's key (checked against the certificate). On success it
 * answers `accessToken`; otherwise 401 `invalid_client`, as Entra does.
 *
 * `makeCertificate` creates a self-signed certificate with openssl (for the TLS server, or as an
 * app's credential: one PEM with key and certificate).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, constants, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Certificate {
  key: string;
  cert: string;
  /** A PEM file holding the private key and the certificate. */
  pemPath: string;
}

export function makeCertificate(dir: string, name: string): Certificate {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const [key, cert] = [readFileSync(keyPath, 'utf8'), readFileSync(certPath, 'utf8')];
  const pemPath = join(dir, `${name}.pem`);
  execFileSync('sh', ['-c', `cat "${keyPath}" "${certPath}" > "${pemPath}"`]);
  return { key, cert, pemPath };
}

export interface LoginClient {
  clientId: string;
  secret?: string;
  /** PEM certificate whose key signs the client's assertions. */
  certificate?: string;
}

export interface LoginEmulatorOptions {
  tls: { key: string; cert: string };
  tenantId: string;
  clients: LoginClient[];
  accessToken: string;
}

export interface TokenRequest {
  clientId: string;
  scope: string;
  proof: 'secret' | 'assertion' | 'none';
  granted: boolean;
}

function assertionValid(assertion: string, certificate: string): boolean {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return false;
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
  const key = new X509Certificate(certificate).publicKey;
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  if (alg === 'RS256') return verify('sha256', data, key, sig);
  if (alg === 'PS256') return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
  return false;
}

function check(form: URLSearchParams, clients: LoginClient[]): TokenRequest {
  const client = clients.find((c) => c.clientId === form.get('client_id'));
  const assertion = form.get('client_assertion');
  const proof = form.has('client_secret') ? 'secret' : assertion ? 'assertion' : 'none';
  const granted =
    client !== undefined &&
    form.get('grant_type') === 'client_credentials' &&
    (proof === 'secret' ? client.secret === form.get('client_secret') : proof === 'assertion' && client.certificate !== undefined && assertionValid(assertion!, client.certificate));
  return { clientId: form.get('client_id') ?? '', scope: form.get('scope') ?? '', proof, granted };
}

export async function startLoginEmulator(options: LoginEmulatorOptions): Promise<{ authorityHost: string; requests: TokenRequest[]; close(): Promise<void> }> {
  const requests: TokenRequest[] = [];
  let origin = '';
  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const tenantBase = `${origin}/${options.tenantId}`;
    if (req.method === 'GET' && req.url?.startsWith(`/${options.tenantId}/v2.0/.well-known/openid-configuration`)) {
      return reply(200, {
        issuer: `${tenantBase}/v2.0`,
        authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
        token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
        end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
        jwks_uri: `${origin}/${options.tenantId}/discovery/v2.0/keys`,
      });
    }
    if (req.method !== 'POST' || !req.url?.startsWith(`/${options.tenantId}/oauth2/v2.0/token`)) return reply(404, { error: 'not_found' });
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const request = check(new URLSearchParams(text), options.clients);
      requests.push(request);
      if (!request.granted) return reply(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: options.accessToken });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorityHost: origin,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
