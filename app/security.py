"""Security headers on every response."""

from urllib.parse import urlsplit

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'{sign_in_providers}; frame-ancestors 'none'"
)


def content_security_policy(sso_providers):
    """The policy, letting forms lead to the configured sign-in providers too: logging out
    redirects the logout form to the provider's own logout (browsers apply form-action to the
    redirects that follow a form)."""
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(settings.get("issuer", "")))
                      for settings in sso_providers.values() if settings.get("issuer")})
    return CSP.format(sign_in_providers="".join(f" {origin}" for origin in origins))


def init_app(app):
    csp = content_security_policy(app.config.get("SSO_PROVIDERS") or {})

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
