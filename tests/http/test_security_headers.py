"""Security headers on every response, and the cookies' flags, in production settings."""
from app import create_app
from app.extensions import db
from config import ProductionConfig, TestingConfig
from tests import factories


def test_every_page_and_api_answer_carries_the_headers(client, campaign):
    for path in ("/", f"/c/{campaign.slug}", "/login", "/api/v1/campaigns", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP in development and tests


def test_production_adds_hsts_and_secure_httponly_samesite_cookies():
    class Production(TestingConfig):
        SESSION_COOKIE_SECURE = ProductionConfig.SESSION_COOKIE_SECURE
        REMEMBER_COOKIE_SECURE = ProductionConfig.REMEMBER_COOKIE_SECURE

    app = create_app(Production)
    with app.app_context():
        db.create_all()
        person = factories.make_user()
        client = app.test_client()
        response = client.post("/login", data={"email": person.email, "password": factories.PASSWORD,
                                               "remember": "y"})
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        cookies = response.headers.getlist("Set-Cookie")
        for name in ("session=", "remember_token="):
            cookie = next(c for c in cookies if c.startswith(name))
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        db.drop_all()
