"""Ready a seeded benchmark database: `python -m bench.dashboard.prepare DATABASE_URL` prints JSON.

Creates an API token for the scale jam's executive (through domain.api_tokens, as the
profile page does) and names the campaign with the most ideas; the plaintext token is
only in the printed JSON (the database keeps its digest).
"""
import json
import sys


def prepare(database_url):
    from sqlalchemy import select

    from app import create_app
    from app.domain import api_tokens
    from app.domain.accounts import find_user_by_email
    from app.extensions import db
    from app.jamscale import scale_email
    from app.models import Campaign

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                      "SECRET_KEY": "bench-dashboard-key"})
    with app.app_context():
        executive = find_user_by_email(scale_email("executive"))
        _token, plaintext = api_tokens.create_api_token(executive, name="bench-dashboard")
        campaign = db.session.scalars(select(Campaign).order_by(Campaign.idea_count.desc(), Campaign.id)).first()
        result = {"token": plaintext, "email": executive.email,
                  "campaign": {"id": campaign.id, "slug": campaign.slug, "title": campaign.title,
                               "ideas": campaign.idea_count}}
        db.session.remove()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    return result


if __name__ == "__main__":
    print(json.dumps(prepare(sys.argv[1])))
