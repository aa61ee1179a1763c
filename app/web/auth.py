"""Log in, log out, register (optionally through an invite) in two steps through a mailed
link, change a password, and reset a forgotten one through a mailed link."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from app import ratelimits
from app.domain import accounts, invites, sso
from app.domain.errors import AuthenticationFailed, Conflict, LinkNotValid, ValidationError
from app.i18n import browser_timezone
from app.forms.auth import (ChangePasswordForm, FinishRegistrationForm, LoginForm,
                            PasswordResetForm, PasswordResetRequestForm, RegisterForm)
from app.web import sso as sso_web
from app.web.helpers import add_form_error, apply_field_errors, login_again, redirect_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@ratelimits.logging_in
def login():
    form = LoginForm(next=request.args.get("next"))
    context = {"form": form, "sso_providers": sso.list_providers()}
    if not form.validate_on_submit():
        return render_template("auth/login.html", **context)
    try:
        user = accounts.authenticate(form.email.data, form.password.data, linking=sso_web.pending_link())
    except AuthenticationFailed as error:
        add_form_error(form, error.message)
        return render_template("auth/login.html", **context), error.status
    login_user(user, remember=form.remember.data)
    refresh()  # the welcome is in the person's own language, not the one the page was asked in
    flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
    sso_web.link_after_login(user)
    return redirect_next(form.next.data)


@bp.post("/logout")
def logout():
    provider_logout = sso_web.logout_redirect()
    session.pop(sso_web.SESSION_KEY, None)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(provider_logout or url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@ratelimits.registering
def register():
    """Step one: an email address. The answer is the same page whether or not the address
    has an account; the mail says which."""
    form = RegisterForm(invite_code=request.args.get("invite"))
    invite = invites.find_usable_invite(form.invite_code.data) if form.invite_code.data else None
    context = {"form": form, "invite": invite}
    if not form.validate_on_submit():
        return render_template("auth/register.html", **context), (422 if form.is_submitted() else 200)
    try:
        email = accounts.start_registration(form.email.data, invite_code=form.invite_code.data or None)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("auth/register.html", **context), error.status
    return render_template("auth/register_sent.html", email=email)


@bp.route("/register/<token>", methods=["GET", "POST"])
def finish_registration(token):
    """Step two, from the mailed link: name, password and profile; creates the account."""
    try:
        link = accounts.read_registration_link(token)
    except (LinkNotValid, Conflict) as error:
        return render_template("auth/link_problem.html", error=error, restart="register"), error.status
    form = FinishRegistrationForm(locale=str(get_locale()), timezone=browser_timezone() or "")
    context = {"form": form, "link": link, "token": token}
    if not form.validate_on_submit():
        return render_template("auth/finish_registration.html", **context), (422 if form.is_submitted() else 200)
    try:
        user = accounts.finish_registration(
            token, display_name=form.display_name.data, password=form.password.data,
            confirm_password=form.confirm_password.data, department=form.department.data,
            country=form.country.data, locale=form.locale.data or None,
            timezone=form.timezone.data or None)
    except (ValidationError, Conflict) as error:  # a field, the invite, or a second link first
        apply_field_errors(form, error)
        return render_template("auth/finish_registration.html", **context), error.status
    except LinkNotValid as error:  # expired while the form was open
        return render_template("auth/link_problem.html", error=error, restart="register"), error.status
    login_user(user)
    flash(_("Welcome to Idea Jam, %(name)s.", name=user.display_name), "success")
    return redirect(url_for("home.index"))


@bp.route("/password/reset", methods=["GET", "POST"])
@ratelimits.resetting_password
def request_password_reset():
    """An email address; the answer is the same page whether or not it has an account."""
    form = PasswordResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), (422 if form.is_submitted() else 200)
    try:
        email = accounts.request_password_reset(form.email.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("auth/reset_request.html", form=form), error.status
    return render_template("auth/reset_sent.html", email=email)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """From the mailed link: a new password. Every session of the person ends; this one starts."""
    try:
        user = accounts.read_password_reset_link(token)
    except LinkNotValid as error:
        return render_template("auth/link_problem.html", error=error, restart="reset"), error.status
    form = PasswordResetForm()
    context = {"form": form, "email": user.email, "token": token}
    if not form.validate_on_submit():
        return render_template("auth/reset_password.html", **context), (422 if form.is_submitted() else 200)
    try:
        user = accounts.reset_password(token, password=form.password.data,
                                       confirm_password=form.confirm_password.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("auth/reset_password.html", **context), error.status
    except LinkNotValid as error:
        return render_template("auth/link_problem.html", error=error, restart="reset"), error.status
    login_user(user)
    flash(_("Your password has changed. You were logged out everywhere else."), "success")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), (422 if form.is_submitted() else 200)
    try:
        user = accounts.change_password(current_user, current_password=form.current_password.data,
                                        new_password=form.new_password.data,
                                        confirm_password=form.confirm_password.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("auth/password.html", form=form), error.status
    login_again(user)  # the token rotated: keep this session, every other one has ended
    flash(_("Your password has changed. You were logged out everywhere else."), "success")
    return redirect(url_for("profile.settings"))
