"""A campaign's page (ideas, filters, post form, results), its admin forms and phase buttons."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import ratelimits
from app.domain import campaigns, ideas, languages, permissions, themes
from app.domain.errors import CampaignNotOpen, ValidationError
from app.forms.campaigns import CampaignForm, ExtendForm, PhaseForm
from app.forms.ideas import IdeaForm
from app.models import ContentState, Phase
from app.web.helpers import apply_field_errors, idea_draft_key, local_to_utc, mark_draft_posted, utc_to_local

bp = Blueprint("campaigns", __name__)

RESULTS_SIZE = 10


def render_campaign(campaign, *, idea_form=None, extend_form=None, status=200):
    """The campaign page; forms passed in keep what the person typed and its errors."""
    args = request.args
    page = ideas.list_ideas(current_user, campaign.id, sort=args.get("sort"), tag=args.get("tag"),
                            q=args.get("q"), page=args.get("page", 1, type=int))
    results = None
    if campaigns.campaign_phase(campaign) is Phase.CLOSED:
        results = ideas.list_ideas(current_user, campaign.id, per_page=RESULTS_SIZE)
    if extend_form is None:
        extend_form = ExtendForm(formdata=None,
                                 ends_at=utc_to_local(campaign.ends_at + timedelta(days=1)))
    return render_template(
        "campaigns/show.html", campaign=campaign, page=page,
        results=results.items if results else None, results_sort=results.sort if results else None,
        tags=ideas.popular_tags(current_user, campaign.id), sorts=ideas.available_sorts(campaign),
        idea_form=idea_form or IdeaForm(formdata=None), extend_form=extend_form,
        phase_form=PhaseForm(formdata=None), title_max=ideas.TITLE_MAX, body_max=ideas.BODY_MAX,
        themes=themes.list_themes(current_user, campaign.id, limit=themes.SUMMARY_THEMES),
    ), status


@bp.get("/c/<slug>")
def show(slug):
    return render_campaign(campaigns.get_campaign(current_user, slug))


@bp.post("/c/<slug>/ideas")
@login_required
@ratelimits.posting
def post_idea(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    form = IdeaForm()
    if not form.validate_on_submit():
        return render_campaign(campaign, idea_form=form, status=422)
    try:
        idea = ideas.submit_idea(current_user, campaign.id, title=form.title.data,
                                 body=form.body.data, tags=form.tags.data,
                                 accept_code_of_conduct=form.accept_code_of_conduct.data,
                                 language=form.language.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_campaign(campaign, idea_form=form, status=error.status)
    mark_draft_posted(idea_draft_key(campaign.id))
    if idea.content_state is ContentState.PUBLISHED:
        flash(_("Your idea is posted."), "success")
    else:
        flash(_("Your idea is waiting for a moderator's approval."), "info")
    return redirect(url_for("ideas.show", idea_id=idea.id))


# --- phase changes (moderators and admins) ---------------------------------------------

def _phase_action(slug, action, message):
    campaign = campaigns.get_campaign(current_user, slug)
    if not PhaseForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, campaign.id)
    except CampaignNotOpen as error:
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug))


@bp.post("/c/<slug>/open")
@login_required
def open_early(slug):
    return _phase_action(slug, campaigns.open_campaign_early, _("The campaign is open."))


@bp.post("/c/<slug>/close")
@login_required
def close(slug):
    return _phase_action(slug, campaigns.close_campaign, _("The campaign is closed."))


@bp.post("/c/<slug>/extend")
@login_required
def extend(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    form = ExtendForm()
    if not form.validate_on_submit():
        return render_campaign(campaign, extend_form=form, status=422)
    try:
        campaigns.extend_campaign(current_user, campaign.id, ends_at=local_to_utc(form.ends_at.data))
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_campaign(campaign, extend_form=form, status=error.status)
    flash(_("The campaign now ends later."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug))


# --- create and edit (admins) ----------------------------------------------------------

def _render_form(form, campaign, status):
    return render_template("campaigns/form.html", form=form, campaign=campaign,
                           limits=campaigns), status


def _campaign_fields(form):
    return dict(title=form.title.data, question=form.question.data,
                description=form.description.data, starts_at=local_to_utc(form.starts_at.data),
                ends_at=local_to_utc(form.ends_at.data), audience=form.audience.data or [],
                is_private=form.is_private.data, voting_mode=form.voting_mode.data,
                public_leaderboard=form.public_leaderboard.data, language=form.language.data,
                translation=campaigns.Translation(
                    form.title_translation.data or "", form.question_translation.data or "",
                    form.description_translation.data or ""))


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_create_campaign(current_user):
        abort(403)
    form = (CampaignForm(audience=["staff"], public_leaderboard=True,
                         language=languages.reader_language()) if request.method == "GET"
            else CampaignForm())
    if not form.validate_on_submit():
        return _render_form(form, None, 422 if form.is_submitted() else 200)
    try:
        campaign = campaigns.create_campaign(current_user, **_campaign_fields(form))
    except ValidationError as error:
        apply_field_errors(form, error)
        return _render_form(form, None, error.status)
    flash(_("The campaign is set up."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug))


@bp.route("/c/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    if not permissions.can_edit_campaign(current_user, campaign):
        abort(403)
    form = CampaignForm(data=None if request.method == "POST" else _form_data(campaign))
    if not form.validate_on_submit():
        return _render_form(form, campaign, 422 if form.is_submitted() else 200)
    try:
        campaign = campaigns.update_campaign(current_user, campaign.id, **_campaign_fields(form))
    except ValidationError as error:
        apply_field_errors(form, error)
        return _render_form(form, campaign, error.status)
    flash(_("The campaign is saved."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug))


def _form_data(campaign):
    return {"title": campaign.title, "question": campaign.question,
            "description": campaign.description, "starts_at": utc_to_local(campaign.starts_at),
            "ends_at": utc_to_local(campaign.ends_at),
            "audience": [k.value for k in campaign.audience_kinds], "is_private": campaign.is_private,
            "voting_mode": campaign.voting_mode.value, "public_leaderboard": campaign.public_leaderboard,
            "language": campaign.language, "title_translation": campaign.title_translation,
            "question_translation": campaign.question_translation,
            "description_translation": campaign.description_translation}
