"""Seed a benchmark jam: `python -m bench.realtime.seed DATABASE_URL VOTERS IDEAS` prints JSON.

The schema is built through the migrations (as production does), the data through the
domain layer (tests/factories.py), and the voters' API tokens with create_api_token.
"""
import json
import sys


def seed(database_url, voters, ideas):
    from app import create_app
    from app.domain import api_tokens
    from app.extensions import db
    from tests import factories
    from tests.services import upgrade_database

    upgrade_database(database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                      "SECRET_KEY": "bench-realtime-key"})
    with app.app_context():
        admin = factories.make_admin()
        campaign = factories.make_campaign(admin, title="Benchmark campaign")
        author = factories.make_user()
        idea_ids = [factories.make_idea(campaign, author, title=f"Benchmark idea {n}").id
                    for n in range(ideas)]
        tokens = [api_tokens.create_api_token(factories.make_user(), name="bench")[1]
                  for _ in range(voters)]
        result = {"campaign_id": campaign.id, "idea_ids": idea_ids, "voter_tokens": tokens}
        db.session.remove()
        db.engine.dispose()
    return result


if __name__ == "__main__":
    url, voters, ideas = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(seed(url, voters, ideas)))
