"""A campaign's rules page: code of conduct, pre-moderation and pace limits (moderators)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import campaigns, permissions, rules
from app.domain.errors import ValidationError
from app.forms.rules import RulesForm
from app.web.helpers import apply_field_errors, login_required

bp = Blueprint("rules", __name__)


@bp.route("/c/<slug>/rules", methods=["GET", "POST"])
@login_required
def edit(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    if not permissions.can_set_campaign_rules(current_user, campaign):
        abort(403)
    form = RulesForm(data=None if request.method == "POST" else rules.rules_of(campaign))
    if not form.validate_on_submit():
        return render_template("campaigns/rules.html", form=form, campaign=campaign), (
            422 if form.is_submitted() else 200)
    try:
        rules.update_campaign_rules(
            current_user, campaign.id, code_of_conduct=form.code_of_conduct.data,
            premoderated_kinds=form.premoderated_kinds.data or [],
            ideas_per_hour=form.ideas_per_hour.data, comments_per_minute=form.comments_per_minute.data,
            flags_per_day=form.flags_per_day.data,
            code_of_conduct_translation=form.code_of_conduct_translation.data or "")
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("campaigns/rules.html", form=form, campaign=campaign), error.status
    flash(_("The campaign's rules are saved."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug))
