"""Moderators warn a person, suspend them until a time, or lift a suspension."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import accounts, sanctions
from app.domain.errors import Conflict, ValidationError
from app.forms.sanctions import LiftSuspensionForm, SuspendForm, WarnForm
from app.web.helpers import apply_field_errors, flash_error, local_to_utc, login_required
from app.web.profile import render_person

bp = Blueprint("sanctions", __name__)


def _person_url(user_id):
    return url_for("profile.person", user_id=user_id)


@bp.post("/people/<int:user_id>/warn")
@login_required
def warn(user_id):
    form = WarnForm(prefix="warn")
    try:
        person = sanctions.warn_person(current_user, user_id, reason=form.reason.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_person(accounts.get_user(user_id), warn_form=form, status=error.status)
    flash(_("%(name)s is warned.", name=person.display_name), "success")
    return redirect(_person_url(user_id))


@bp.post("/people/<int:user_id>/suspend")
@login_required
def suspend(user_id):
    form = SuspendForm(prefix="suspend")  # an unreadable time stays empty; the domain reports it
    try:
        person = sanctions.suspend_person(current_user, user_id, until=local_to_utc(form.until.data),
                                          reason=form.reason.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_person(accounts.get_user(user_id), suspend_form=form, status=error.status)
    flash(_("%(name)s is suspended.", name=person.display_name), "success")
    return redirect(_person_url(user_id))


@bp.post("/people/<int:user_id>/unsuspend")
@login_required
def unsuspend(user_id):
    form = LiftSuspensionForm(prefix="lift")
    try:
        person = sanctions.lift_suspension(current_user, user_id, reason=form.reason.data)
    except Conflict as error:
        flash_error(error)
    else:
        flash(_("%(name)s may take part again.", name=person.display_name), "success")
    return redirect(_person_url(user_id))
