"""Server-rendered pages, one blueprint per noun."""


def register_blueprints(app):
    from app.web import admin, auth, campaigns, comments, home, ideas, notifications, profile, votes

    for module in (home, auth, campaigns, ideas, comments, votes, profile, notifications, admin):
        app.register_blueprint(module.bp)
