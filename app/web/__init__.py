"""Server-rendered pages, one blueprint per noun."""


def register_blueprints(app):
    from app.web import (admin, audit, auth, campaigns, comments, comparisons, dashboards, flags, home, ideas,
                         merges, moderation, notifications, previews, profile, reviews, rules, sanctions, sso,
                         themes, votes)

    for module in (home, auth, campaigns, ideas, comments, votes, comparisons, moderation, flags,
                   merges, sanctions, rules, reviews, dashboards, themes, profile, notifications, admin, audit,
                   previews, sso):
        app.register_blueprint(module.bp)
    sso.init_app(app)
