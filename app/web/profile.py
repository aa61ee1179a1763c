"""Public profiles, the person's own settings and their API tokens."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import accounts, api_tokens, comments, ideas
from app.domain.clock import utcnow
from app.domain.errors import ValidationError
from app.forms.admin import RevokeForm
from app.forms.profile import ProfileForm, TokenForm
from app.forms.sanctions import LiftSuspensionForm, SuspendForm, WarnForm
from app.web.helpers import apply_field_errors, utc_to_local

bp = Blueprint("profile", __name__)

# What the suspend form offers first; the moderator picks the actual end.
SUSPENSION_DEFAULT = timedelta(days=7)


@bp.get("/people/<int:user_id>")
def person(user_id):
    return render_person(accounts.get_user(user_id))


def render_person(person, *, warn_form=None, suspend_form=None, status=200):
    """A person's page; for moderators with the warn and suspend forms (kept as typed)."""
    if suspend_form is None:
        suspend_form = SuspendForm(formdata=None, prefix="suspend",
                                   until=utc_to_local(utcnow() + SUSPENSION_DEFAULT))
    return render_template(
        "profile/person.html", person=person,
        ideas=ideas.list_ideas_by_author(current_user, person.id),
        comments=comments.list_comments_by_author(current_user, person.id),
        warn_form=warn_form or WarnForm(formdata=None, prefix="warn"), suspend_form=suspend_form,
        lift_form=LiftSuspensionForm(formdata=None, prefix="lift"),
    ), status


def render_settings(*, form=None, token_form=None, new_token=None, status=200):
    if form is None:
        form = ProfileForm(formdata=None, obj=current_user)
        form.locale.data, form.timezone.data = current_user.locale or "", current_user.timezone or ""
    return render_template(
        "profile/settings.html", form=form, token_form=token_form or TokenForm(formdata=None),
        tokens=api_tokens.list_api_tokens(current_user), new_token=new_token,
        revoke_form=RevokeForm(formdata=None)), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def settings():
    form = ProfileForm()
    if not form.validate_on_submit():
        return render_settings(form=form if form.is_submitted() else None,
                               status=422 if form.is_submitted() else 200)
    try:
        accounts.update_profile(current_user, display_name=form.display_name.data,
                                department=form.department.data, country=form.country.data,
                                locale=form.locale.data or None, timezone=form.timezone.data or None)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_settings(form=form, status=error.status)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("profile.settings"))


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = TokenForm()
    form.validate_on_submit()
    try:
        token, plaintext = api_tokens.create_api_token(current_user, name=form.name.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_settings(token_form=form, status=error.status)
    # Shown in this response only: the plaintext is never stored, not even in the session.
    flash(_("Token “%(name)s” created. Copy it now: it will not be shown again.", name=token.name),
          "success")
    return render_settings(new_token=plaintext, status=201)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    RevokeForm().validate_on_submit()
    api_tokens.revoke_api_token(current_user, token_id)
    flash(_("The token is revoked."), "info")
    return redirect(url_for("profile.settings"))
