"""Ready a seeded database for the HTTP benchmark: `python -m bench.http.prepare DATABASE_URL`
prints JSON.

On the jam-scale seed (`flask jam seed-scale`) it picks what the routes need and adds what the
seed lacks:

- the campaign with the most ideas;
- VOTERS new participants of a kind the campaign admits ("bench voters"), who have voted on
  nothing, so every vote the benchmark casts is a new row;
- the published idea whose comment count is closest above COMMENTS (comments are added through
  the domain, as people would add them, when no idea has that many);
- the person with the most ideas in the campaign, for the profile page;
- an English and a Chinese search word and how many ideas each finds;
- the ids of the ideas the voters vote on and comment on (published, not merged);
- the campaign's comments-per-minute pace limit at its highest, as a moderator may set it.
"""
import json
import random
import sys
from datetime import timedelta

COMMENTS = 300
VOTERS = 32
SEARCH_WORDS = {"en": "network", "zh": "門市"}


def prepare(database_url):
    from sqlalchemy import func, select

    from app import create_app
    from app.domain import api_tokens, comments, limits, search
    from app.domain.accounts import hash_password
    from app.domain.clock import utcnow
    from app.domain.ideas import published_clause
    from app.extensions import db
    from app.jamscale import SCALE_PASSWORD, scale_email
    from app.models import Campaign, CampaignAudience, Comment, Idea, ParticipantKind, Role, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                      "SECRET_KEY": "bench-http-key", "RATELIMIT_ENABLED": False})
    with app.app_context():
        session = db.session
        campaign = session.scalars(select(Campaign).order_by(Campaign.idea_count.desc(), Campaign.id)).first()
        kinds = session.scalars(select(CampaignAudience.kind).where(CampaignAudience.campaign_id == campaign.id)).all()
        password_hash = hash_password(SCALE_PASSWORD)
        voters = []
        for i in range(VOTERS):
            email = scale_email(f"bench-voter-{i}")
            user = session.scalar(select(User).where(User.email == email))
            if user is None:
                user = User(email=email, display_name=f"Bench voter {i}", password_hash=password_hash,
                            role=Role.PARTICIPANT, kind=kinds[i % len(kinds)] if kinds else ParticipantKind.STAFF,
                            created_at=utcnow() - timedelta(days=30))
                session.add(user)
            voters.append(email)
        # The voters comment far faster than a person may; the campaign's pace limit (which a
        # moderator sets) is raised to its highest, and the voters' accounts are not new.
        campaign.limit_comments_per_minute = limits.LIMIT_MAX
        session.commit()

        live = (Idea.campaign_id == campaign.id, published_clause(), Idea.merged_into_id.is_(None))
        idea_ids = session.scalars(select(Idea.id).where(*live).order_by(Idea.id)).all()
        random.Random(7).shuffle(idea_ids)
        discussed = session.scalars(select(Idea).where(*live, Idea.comment_count >= COMMENTS)
                                    .order_by(Idea.comment_count, Idea.id)).first()
        if discussed is None:
            discussed = session.scalars(select(Idea).where(*live).order_by(Idea.comment_count.desc())).first()
            commenters = session.scalars(select(User).where(User.email.in_(voters))).all()
            for n in range(discussed.comment_count, COMMENTS):
                comments.add_comment(commenters[n % len(commenters)], discussed.id,
                                     body=f"Comment {n + 1}: how would this work for small shops?",
                                     accept_code_of_conduct=True)
            session.refresh(discussed)
        shown_comments = session.scalar(select(func.count()).select_from(Comment)
                                        .where(Comment.idea_id == discussed.id))
        author_id, author_ideas = session.execute(
            select(Idea.author_id, func.count().label("n")).where(Idea.campaign_id == campaign.id)
            .group_by(Idea.author_id).order_by(func.count().desc(), Idea.author_id).limit(1)).one()
        found = {}
        for language, word in SEARCH_WORDS.items():
            stmt = select(func.count()).select_from(Idea).where(*live)
            for matching in search.matching_idea_ids(word):
                stmt = stmt.where(Idea.id.in_(matching))
            found[language] = {"word": word, "ideas": session.scalar(stmt)}
        reader = session.scalar(select(User).where(User.email == voters[0]))
        _token, plaintext = api_tokens.create_api_token(reader, name="bench-http")
        result = {
            "token": plaintext,
            "campaign": {"id": campaign.id, "slug": campaign.slug, "ideas": campaign.idea_count},
            "reader": voters[0], "voters": voters, "password": SCALE_PASSWORD,
            "executive": scale_email("executive"),
            "idea": {"id": discussed.id, "comments": discussed.comment_count, "rows": shown_comments},
            "person": {"id": author_id, "ideas": author_ideas},
            "search": found, "idea_ids": idea_ids[:20000],
        }
        session.remove()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    return result


if __name__ == "__main__":
    print(json.dumps(prepare(sys.argv[1])))
