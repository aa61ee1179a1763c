"""What every template can use."""
from datetime import datetime
from urllib.parse import urlencode

from flask import request
from flask_babel import format_datetime, format_decimal, get_locale, get_timezone

from app.domain import campaigns, languages, permissions
from app.forms.common import LANGUAGE_NAMES
from app.i18n import HTML_LANG
from app.domain.campaigns import campaign_phase
from app.domain.flags import comment_key, idea_key
from app.web.labels import (SORT_DESCRIPTIONS, SORT_LABELS, VOTING_MODE_LABELS, content_state_label,
                              flag_reason_label, status_label, status_labels_by_value)


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "can": permissions,
            "may": campaigns,  # may.may_contribute(user, campaign) and friends: rules for "now"
            "status_label": status_label,
            "status_labels_by_value": status_labels_by_value,
            "sort_labels": SORT_LABELS,
            "sort_descriptions": SORT_DESCRIPTIONS,
            "voting_mode_labels": VOTING_MODE_LABELS,
            "phase_of": campaign_phase,
            "flag_reason_label": flag_reason_label,
            "content_state_label": content_state_label,
            "idea_key": idea_key,  # "idea:7", as the flag queue and flags.flagged_by name items
            "comment_key": comment_key,
            "current_locale": str(get_locale()),
            "html_lang": HTML_LANG.get(str(get_locale()), "en"),
            "language_names": LANGUAGE_NAMES,
            "language_tags": HTML_LANG,
            "campaign_text": languages.campaign_text,  # the reader's version of a campaign text
            "criterion_name": languages.criterion_name,
        }

    @app.template_global()
    def viewer_zone():
        """The reader's time zone, read once for a chart of many bars."""
        return get_timezone()

    @app.template_filter("bar_label")
    def _bar_label(value: datetime, zone, daily=False):
        """A chart bar's time, in the reader's zone: "11-27 14:00" or "11-27". Plain digits read
        the same in every language, and cost a fraction of a full localised date."""
        return value.astimezone(zone).strftime("%m-%d" if daily else "%m-%d %H:00")

    @app.template_global()
    def country_label(code):
        """A country's name in the reader's language, from its ISO code."""
        return get_locale().territories.get((code or "").upper(), code)

    @app.template_global()
    def notification_menu():
        """The header's notification menu: unread count and the latest few."""
        from flask_login import current_user

        from app.domain import notifications

        return {"unread": notifications.count_unread(current_user),
                "latest": notifications.list_notifications(current_user, limit=5)}

    @app.template_global()
    def withheld(comment):
        """The viewer may not read this comment (hidden or pending): show a marker instead."""
        from flask_login import current_user

        from app.domain import comments

        return comments.is_withheld(current_user, comment)

    @app.template_global()
    def needs_conduct(campaign):
        """The viewer must accept the campaign's code of conduct with their next post."""
        from flask_login import current_user

        from app.domain import conduct

        return conduct.needs_acceptance(current_user, campaign)

    @app.template_filter("datetime")
    def _datetime(value: datetime, style="medium"):
        return format_datetime(value, style) if value else ""

    @app.template_filter("zone_name")
    def _zone_name(value: datetime):
        """The reader's zone as people say it at that moment ("Taipei Standard Time",
        "台北標準時間"), to label a deadline."""
        return format_datetime(value, "zzzz") if value else ""

    @app.template_filter("number")
    def _number(value):
        return format_decimal(value)

    @app.template_filter("isotime")
    def _isotime(value: datetime):
        return value.isoformat().replace("+00:00", "Z") if value else ""

    @app.template_global()
    def url_with(**changes):
        """The current URL with some query parameters changed (None drops one)."""
        args = request.args.to_dict()
        args.update({k: v for k, v in changes.items()})
        return request.path + "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})

    from app.web import helpers

    app.add_template_global(helpers.idea_draft_key, "idea_draft_key")
    app.add_template_global(helpers.comment_draft_key, "comment_draft_key")
    app.add_template_global(helpers.pop_posted_drafts, "pop_posted_drafts")

    @app.template_global()
    def composer_text():
        """What the composers' script says (drafts, counter, preview, kept text), in the reader's
        language, with each kind's length limit: one attribute on the page."""
        from flask_babel import gettext as _

        from app.domain.previews import PREVIEW_LIMITS

        return {
            "limits": PREVIEW_LIMITS,
            "count": _("%(count)s / %(limit)s characters", count="{count}", limit="{limit}"),
            "over": _("%(num)s characters over the limit", num="{n}"),
            "saving": _("Saving draft…"),
            "saved": _("Draft saved in this browser"),
            "restored": _("Your draft is back. It stays in this browser until you post it."),
            "unsaved": _("This browser cannot keep drafts: copy long texts before leaving."),
            "preview": _("Preview"),
            "hidePreview": _("Hide preview"),
            "previewHeading": _("Preview"),
            "previewEmpty": _("Nothing to preview yet."),
            "previewFailed": _("The preview is not available right now. Your text is safe."),
            "keptIdea": _("This campaign no longer takes new ideas, so the form is gone. "
                          "What you wrote is kept below: copy it before you leave."),
            "keptComment": _("Comments are closed here now, so the form is gone. "
                             "What you wrote is kept below: copy it before you leave."),
            "copy": _("Copy"),
            "copied": _("Copied"),
            "copyFailed": _("Select the text and copy it by hand."),
            "loginAgain": _("Your session has ended. Log in again: your draft is kept in this browser."),
            "logIn": _("Log in"),
        }
