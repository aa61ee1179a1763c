"""JSON API v1: the same domain functions as the pages, with Bearer-token auth."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules register on ``bp`` when imported; the schemas they register make up the
# OpenAPI document (app/api/openapi.py).
from app.api import (auth, campaigns, comments, comparisons, dashboards, events, flags, ideas,  # noqa: E402,F401,I001
                     merges, moderation, notifications, openapi, previews, reviews, rules, sanctions, themes,
                     users, votes)

from app import inputs  # noqa: E402

# After authenticate (app/api/auth.py), which caps the body's size before anything reads it.
bp.before_request(inputs.check_json_body)
