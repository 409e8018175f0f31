// node-oidc-provider configured like AuthRealm for bench/oidc.sh: one
// confidential client (client_secret_basic) allowed client_credentials, ES256
// JWT access tokens for one resource (resource indicators), the default
// in-memory adapter, introspection on. Usage: node server.mjs PORT CLIENT_ID SECRET
// oidc-provider refuses to introspect its JWT access tokens, so the
// introspection load uses a token for a second resource, OPAQUE_RESOURCE,
// issued in its opaque (stored) format.
import Provider from 'oidc-provider';
import { generateKeyPairSync } from 'node:crypto';

const [port, clientId, clientSecret] = process.argv.slice(2);
const key = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'bench-es256' };
const resource = 'urn:authrealm:bench:api';
const OPAQUE_RESOURCE = 'urn:authrealm:bench:opaque';

const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{
        client_id: clientId, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'], response_types: [], redirect_uris: [], id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [key] },
    scopes: ['api:read'],
    features: {
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        devInteractions: { enabled: false },
        resourceIndicators: {
            enabled: true,
            defaultResource: () => resource,
            useGrantedResource: () => true,
            getResourceServerInfo: (ctx, indicator) => (indicator === OPAQUE_RESOURCE
                ? { scope: 'api:read', audience: OPAQUE_RESOURCE, accessTokenTTL: 900, accessTokenFormat: 'opaque' }
                : { scope: 'api:read', audience: resource, accessTokenTTL: 900, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
        },
    },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider listening on ${port}`));
