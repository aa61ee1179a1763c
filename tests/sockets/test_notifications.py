"""The live ``notification`` message is checked against what its reader may see when it is
sent, and worded by the server as the bell words it after a reload."""
from app.domain import accounts, api_tokens, ideas
from app.extensions import db
from app.models import Campaign, Role, User
from tests import factories
from tests.server.conftest import offline_app

SECRET = "Staff-only pricing plan for 2027"


def _in_app(database_url, work):
    app = offline_app(database_url)
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_former_member_hears_nothing_of_a_private_idea(live, connect):
    jam, _server, api = live

    def seed():
        campaign = db.session.get(Campaign, jam.private_campaign_id)
        author, staff = factories.make_user(kind="staff"), factories.make_user(kind="staff")
        idea = factories.make_idea(campaign, author, title="Shared plan")
        ideas.follow_idea(staff, idea.id)
        return (idea.id, staff.id, api_tokens.create_api_token(author, name="s")[1],
                api_tokens.create_api_token(staff, name="s")[1])

    idea_id, staff_id, author_token, staff_token = _in_app(jam.database_url, seed)
    moderator = jam.tokens["moderator"]

    # While in the audience, the follower hears of a status change, worded by the server.
    member = connect(staff_token)
    assert api.call("PUT", f"/ideas/{idea_id}/status", moderator, json={"status": "under_review"}).status_code == 200
    heard = member.wait_for("notification")
    assert heard["kind"] == "status_changed" and "Shared plan" in heard["text"]
    assert heard["url"] == f"/ideas/{idea_id}" and heard["unread"] == 1
    member.close()

    def demote():
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        accounts.update_person(admin, staff_id, kind="customer")

    _in_app(jam.database_url, demote)
    former = connect(staff_token)  # a connection made after the change, so it stays open
    assert api.call("PATCH", f"/ideas/{idea_id}", author_token, json={"title": SECRET}).status_code == 200
    assert api.call("PUT", f"/ideas/{idea_id}/status", moderator, json={"status": "shortlisted"}).status_code == 200
    assert api.call("POST", f"/users/{staff_id}/warn", moderator,
                    json={"reason": "Please stay on topic."}).status_code == 200
    # Messages to one room arrive in order: anything about the idea would have come first.
    first = former.wait_for("notification")
    assert first["kind"] == "warning" and SECRET not in str(first)
    assert first["text"] == "A moderator warned you: Please stay on topic."
    assert first["unread"] == 1  # the notification of the private idea no longer counts
