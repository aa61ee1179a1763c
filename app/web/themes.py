"""Themes of a campaign (everyone who may see it; moderators rename and merge them), the
live "Themes so far" summary, and the similar ideas shown while a person writes one."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import campaigns, duplicates, permissions, themes
from app.domain.errors import Conflict, ValidationError
from app.forms.themes import ThemeMergeForm, ThemeNameForm
from app.web.helpers import flash_error, login_required

bp = Blueprint("themes", __name__)


@bp.get("/c/<slug>/themes")
def index(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    summaries = themes.list_themes(current_user, campaign.id)
    return render_template("themes/index.html", campaign=campaign, themes=summaries,
                           refresh=themes.last_refresh(current_user, campaign.id),
                           may_edit=permissions.can_edit_themes(current_user, campaign))


@bp.get("/c/<slug>/themes/summary")
def summary(slug):
    """The campaign page's "Themes so far" section alone, for pages that follow it live."""
    campaign = campaigns.get_campaign(current_user, slug)
    return render_template("themes/_section.html", campaign=campaign,
                           themes=themes.list_themes(current_user, campaign.id, limit=themes.SUMMARY_THEMES))


def _back_to_themes(theme_id):
    theme = themes.get_theme(current_user, theme_id)
    return redirect(url_for("themes.index", slug=campaigns.get_campaign(current_user, theme.campaign_id).slug,
                            _anchor=f"theme-{theme.merged_into_id or theme.id}"))


@bp.post("/themes/<int:theme_id>/name")
@login_required
def rename(theme_id):
    form = ThemeNameForm()
    try:
        themes.rename_theme(current_user, theme_id, name=form.name.data)
    except (ValidationError, Conflict) as error:
        flash_error(error)
    else:
        flash(_("The theme's name is saved; later refreshes keep it."), "success")
    return _back_to_themes(theme_id)


@bp.post("/themes/<int:theme_id>/merge")
@login_required
def merge(theme_id):
    form = ThemeMergeForm()
    try:
        themes.merge_themes(current_user, theme_id, into=form.into.data)
    except (ValidationError, Conflict) as error:
        flash_error(error)
    else:
        flash(_("The themes are merged; later refreshes keep them together."), "success")
    return _back_to_themes(theme_id)


@bp.get("/c/<slug>/similar-ideas")
def similar(slug):
    """JSON for the idea form's "Similar ideas" box (the API has the same look-up)."""
    campaign = campaigns.get_campaign(current_user, slug)
    found = duplicates.find_similar_ideas(current_user, campaign.id, title=request.args.get("title", ""),
                                          body=request.args.get("body", ""),
                                          limit=request.args.get("limit", duplicates.SIMILAR_LIMIT, type=int))
    return {"items": [{"id": item.idea.id, "title": item.idea.title, "snippet": item.snippet,
                       "url": url_for("ideas.show", idea_id=item.idea.id),
                       "up_count": item.idea.up_count, "score": item.idea.score,
                       "comment_count": item.idea.comment_count,
                       "similarity": item.similarity} for item in found]}
