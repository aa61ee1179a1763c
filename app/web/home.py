"""Home page (the campaign lists) and the language switch."""
from flask import Blueprint, render_template, session
from flask_babel import get_timezone
from flask_login import current_user

from app.domain import accounts, campaigns
from app.forms.home import LanguageForm
from app.web.helpers import redirect_next, referrer_path, time_until, utc_to_local

bp = Blueprint("home", __name__)
bp.add_app_template_global(time_until, "time_until")
bp.add_app_template_global(utc_to_local, "utc_to_local")


@bp.app_context_processor
def _page_globals():
    return {"current_timezone": str(get_timezone() or "UTC")}


@bp.get("/")
def index():
    return render_template("home.html", lists=campaigns.list_campaigns(current_user))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    locale = form.locale.data
    if current_user.is_authenticated:
        accounts.set_locale(current_user, locale)  # NotFound for a language we do not offer
    session["locale"] = locale  # i18n.select_locale ignores codes it does not support
    return redirect_next(form.next.data or referrer_path())
