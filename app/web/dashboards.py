"""Dashboards for the people who run a jam: per campaign and across campaigns, a wall mode for
a big screen, a printable one-page summary, and exports of the ideas."""
from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import get_timezone
from flask_login import current_user

from app.domain import campaigns, dashboards, exports, themes
from app.web.helpers import login_required

bp = Blueprint("dashboards", __name__)


_PARTS = {"dashboards/show.html": "dashboards/_panel.html",
          "dashboards/wall.html": "dashboards/_wall_slides.html"}


# A wall shows each slide this many seconds (?rotate=N picks another pace).
ROTATE_SECONDS, ROTATE_MIN, ROTATE_MAX = 15, 1, 600


def _render(template, board, **context):
    # ?partial=1 is the live refresh: the changing part alone, re-read for the same viewer.
    if request.args.get("partial") == "1":
        template = _PARTS[template]
    rotate = min(max(request.args.get("rotate", ROTATE_SECONDS, type=int), ROTATE_MIN), ROTATE_MAX)
    return render_template(template, board=board, campaign=board.campaign, rotate_seconds=rotate, **context)


@bp.get("/dashboard")
@login_required
def site():
    board = dashboards.get_dashboard(current_user, sort=request.args.get("sort"), zone=get_timezone())
    return _render("dashboards/show.html", board)


@bp.get("/c/<slug>/dashboard")
def campaign(slug):
    found = campaigns.get_campaign(current_user, slug)
    board = dashboards.get_dashboard(current_user, found.id, sort=request.args.get("sort"),
                                     zone=get_timezone())
    return _render("dashboards/show.html", board,
                   themes=themes.list_themes(current_user, found.id, limit=themes.SUMMARY_THEMES))


@bp.get("/dashboard/wall")
@login_required
def site_wall():
    board = dashboards.get_dashboard(current_user, sort=request.args.get("sort") or dashboards.wall_sort(None),
                                     zone=get_timezone())
    return _render("dashboards/wall.html", board)


@bp.get("/c/<slug>/wall")
def campaign_wall(slug):
    found = campaigns.get_campaign(current_user, slug)
    sort = request.args.get("sort") or dashboards.wall_sort(found)
    return _render("dashboards/wall.html",
                   dashboards.get_dashboard(current_user, found.id, sort=sort, zone=get_timezone()))


@bp.get("/c/<slug>/summary")
@login_required
def summary(slug):
    found = campaigns.get_campaign(current_user, slug)
    board = dashboards.get_dashboard(current_user, found.id, sort=request.args.get("sort"),
                                     zone=get_timezone())
    return render_template("dashboards/summary.html", board=board, campaign=found)


@bp.get("/c/<slug>/ideas.<any(csv, json):fmt>")
@login_required
def export(slug, fmt):
    export = exports.export_ideas(current_user, slug)
    body = exports.as_csv(export.rows) if fmt == "csv" else exports.as_json(export.rows)
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(stream_with_context(body), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export.campaign.slug}-ideas.{fmt}"'})
