"""Server-rendered pages, one blueprint per noun."""


def register_blueprints(app):
    from app.web import (admin, audit, auth, campaigns, comments, comparisons, home, ideas,
                         moderation, notifications, profile, votes)

    for module in (home, auth, campaigns, ideas, comments, votes, comparisons, moderation, profile,
                   notifications, admin, audit):
        app.register_blueprint(module.bp)
