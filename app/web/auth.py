"""Log in, log out, register (optionally through an invite) and change password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import ratelimits
from app.domain import accounts, invites
from app.domain.errors import AuthenticationFailed, Conflict, ValidationError
from app.forms.auth import ChangePasswordForm, LoginForm, RegisterForm
from app.web.helpers import add_form_error, apply_field_errors, login_again, redirect_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@ratelimits.logging_in
def login():
    form = LoginForm(next=request.args.get("next"))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = accounts.authenticate(form.email.data, form.password.data)
    except AuthenticationFailed as error:
        add_form_error(form, error.message)
        return render_template("auth/login.html", form=form), error.status
    login_user(user, remember=form.remember.data)
    flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
    return redirect_next(form.next.data)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@ratelimits.registering
def register():
    form = RegisterForm(invite_code=request.args.get("invite"))
    invite = invites.find_usable_invite(form.invite_code.data) if form.invite_code.data else None
    context = {"form": form, "invite": invite}
    if not form.validate_on_submit():
        return render_template("auth/register.html", **context), (422 if form.is_submitted() else 200)
    if not form.passwords_match():
        form.confirm_password.errors.append(_("The two passwords are not the same."))
        return render_template("auth/register.html", **context), 422
    try:
        user = accounts.register_user(
            email=form.email.data, display_name=form.display_name.data,
            password=form.password.data, invite_code=form.invite_code.data or None,
            department=form.department.data, country=form.country.data,
            locale=form.locale.data or None)
    except (ValidationError, Conflict) as error:
        apply_field_errors(form, error)
        return render_template("auth/register.html", **context), error.status
    login_user(user)
    flash(_("Welcome to Idea Jam, %(name)s.", name=user.display_name), "success")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), (422 if form.is_submitted() else 200)
    if not form.passwords_match():
        form.confirm_password.errors.append(_("The two passwords are not the same."))
        return render_template("auth/password.html", form=form), 422
    try:
        user = accounts.change_password(current_user, current_password=form.current_password.data,
                                        new_password=form.new_password.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("auth/password.html", form=form), error.status
    login_again(user)  # the token rotated: keep this session, every other one has ended
    flash(_("Your password has changed. You were logged out everywhere else."), "success")
    return redirect(url_for("profile.settings"))
