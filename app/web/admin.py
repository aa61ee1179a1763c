"""Admin pages: people (role, kind, active) and invite links."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import accounts, invites
from app.domain.errors import PermissionDenied, ValidationError
from app.forms.admin import InviteForm, PersonForm, RevokeForm
from app.web.helpers import apply_field_errors, flash_error, redirect_next

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
def index():
    return redirect(url_for("admin.people"))


@bp.get("/people")
@login_required
def people():
    q = request.args.get("q", "")
    pagination = accounts.list_people(current_user, q=q, page=request.args.get("page", 1, type=int))
    forms = {p.id: _person_form(p) for p in pagination.items}
    return render_template("admin/people.html", pagination=pagination, q=q, forms=forms)


def _person_form(person):
    return PersonForm(formdata=None, prefix=f"p{person.id}", data={
        "role": person.role.value, "kind": person.kind.value, "active": person.active})


@bp.post("/people/<int:user_id>")
@login_required
def update_person(user_id):
    form = PersonForm(prefix=f"p{user_id}")
    form.validate_on_submit()
    try:
        person = accounts.update_person(current_user, user_id, role=form.role.data,
                                        kind=form.kind.data, active=form.active.data)
    except (ValidationError, PermissionDenied) as error:
        if error.code == "forbidden":
            raise
        flash_error(error)
    else:
        flash(_("%(name)s is updated.", name=person.display_name), "success")
    return redirect_next(form.next.data, "admin.people")


def render_invites(form=None, status=200):
    return render_template("admin/invites.html", invites=invites.list_invites(current_user),
                           form=form or InviteForm(formdata=None), revoke_form=RevokeForm(formdata=None),
                           is_usable=invites.is_usable), status


@bp.route("/invites", methods=["GET", "POST"])
@login_required
def invites_page():
    form = InviteForm()
    if not form.validate_on_submit():
        return render_invites(form, status=422 if form.is_submitted() else 200)
    try:
        invite = invites.create_invite(current_user, kind=form.kind.data, max_uses=form.max_uses.data,
                                       expires_in_days=form.expires_in_days.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_invites(form, status=error.status)
    flash(_("Invite link created: %(url)s", url=url_for("auth.register", invite=invite.code,
                                                         _external=True)), "success")
    return redirect(url_for("admin.invites_page"))


@bp.post("/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id):
    RevokeForm().validate_on_submit()
    invites.revoke_invite(current_user, invite_id)
    flash(_("The invite link is revoked."), "info")
    return redirect(url_for("admin.invites_page"))
