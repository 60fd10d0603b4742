"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1.

It does what FranceConnect does for a relying party, with the consent screen answered at
once: discovery document, JWKS (an RS256 key generated at start), authorization (code flow,
``state``, ``nonce`` and PKCE S256 checked), token (client secret by POST or Basic auth, a
signed ID token carrying the nonce), userinfo (Bearer). The site under test talks to it over
real sockets, as it would to the real provider.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_ID = "test-key-1"
SCOPE_CLAIMS = {
    "given_name": ["given_name"],
    "family_name": ["family_name"],
    "birthdate": ["birthdate"],
    "email": ["email"],
    "birthplace": ["birthplace"],
    "birthcountry": ["birthcountry"],
}


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class LocalOpenIDProvider:
    """Start with :meth:`start`, stop with :meth:`stop`. ``person`` holds the claims of whoever
    signs in next; ``authorizations`` records each authorization request's parameters."""

    def __init__(self, client_id="civic-site", client_secret=None):
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person = {}
        self.authorizations = []
        # Tests flip these: another nonce in the ID token (a replay), userinfo as a signed JWT
        # (FranceConnect v2) and signed with a key the JWKS does not publish (a forgery).
        self.nonce_override = None
        self.signed_userinfo = False
        self.userinfo_key = self.private_key
        self._codes = {}
        self._access_tokens = {}
        self._server = None

    @property
    def issuer(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        provider = self

        class Handler(ProviderRequestHandler):
            oidc = provider

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", *SCOPE_CLAIMS],
            "claims_supported": ["sub", *SCOPE_CLAIMS],
        }

    def jwks(self):
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def authorize(self, params):
        """The redirect back to the client (auto-consent), or an error status and message."""
        self.authorizations.append(params)
        if params.get("client_id") != self.client_id:
            return 400, "unknown client_id"
        if params.get("response_type") != "code":
            return 400, "response_type must be code"
        scopes = params.get("scope", "").split()
        if "openid" not in scopes:
            return 400, "scope must contain openid"
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri.startswith("http"):
            return 400, "redirect_uri missing"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": redirect_uri,
            "nonce": params.get("nonce"),
            "scopes": scopes,
            "code_challenge": params.get("code_challenge"),
            "person": dict(self.person),
        }
        query = {"code": code}
        if "state" in params:
            query["state"] = params["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return 302, f"{redirect_uri}{separator}{urlencode(query)}"

    def token(self, form, basic_credentials):
        client_id, secret = basic_credentials or (form.get("client_id"), form.get("client_secret"))
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self._codes.pop(form.get("code", ""), None)  # a code is good once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if grant["code_challenge"] and (
            pkce_challenge(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return 400, {"error": "invalid_grant", "error_description": "code_verifier"}
        claims = released_claims(grant["person"], grant["scopes"])
        now = int(time.time())
        id_token_claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + 60,
            "nonce": self.nonce_override or grant["nonce"],
            # FranceConnect puts the identity in userinfo only; so does this provider.
        }
        access_token = secrets.token_urlsafe(24)
        self._access_tokens[access_token] = claims
        id_token = jwt.encode(
            id_token_claims, self.private_key, algorithm="RS256", headers={"kid": KEY_ID}
        )
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": id_token,
        }

    def userinfo(self, authorization):
        """Status, content type and body."""
        scheme, _, token = (authorization or "").partition(" ")
        claims = self._access_tokens.get(token) if scheme.lower() == "bearer" else None
        if claims is None:
            return 401, "application/json", json.dumps({"error": "invalid_token"})
        if not self.signed_userinfo:
            return 200, "application/json", json.dumps(claims)
        now = int(time.time())
        signed = jwt.encode(
            {**claims, "iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 60},
            self.userinfo_key,
            algorithm="RS256",
            headers={"kid": KEY_ID},
        )
        return 200, "application/jwt", signed


def released_claims(person, scopes):
    claims = {"sub": person["sub"]}
    for scope in scopes:
        for name in SCOPE_CLAIMS.get(scope, []):
            if name in person:
                claims[name] = person[name]
    return claims


class ProviderRequestHandler(BaseHTTPRequestHandler):
    oidc: LocalOpenIDProvider

    def log_message(self, format, *args):  # the test output stays quiet
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self.send_json(200, self.oidc.discovery())
        elif url.path == "/jwks":
            self.send_json(200, self.oidc.jwks())
        elif url.path == "/authorize":
            status, target = self.oidc.authorize(params)
            if status == 302:
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_json(status, {"error": "invalid_request", "error_description": target})
        elif url.path == "/userinfo":
            self.send(*self.oidc.userinfo(self.headers.get("Authorization")))
        else:
            self.send_json(404, {"error": "not_found"})

    def do_POST(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        if url.path == "/token":
            self.send_json(*self.oidc.token(form, self.basic_credentials()))
        else:
            self.send_json(404, {"error": "not_found"})

    def basic_credentials(self):
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return None
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id, secret

    def send_json(self, status, payload):
        self.send(status, "application/json", json.dumps(payload))

    def send(self, status, content_type, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
