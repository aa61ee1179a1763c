"""A liveness probe for proxies, process managers and tests."""
from flask import jsonify
from sqlalchemy import text

from app.extensions import db


def init_app(app):
    @app.get("/health")
    def health():
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")
