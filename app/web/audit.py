"""The audit log for admins: browse, filter, export as CSV."""
from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from app.domain import audit
from app.web.helpers import login_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _filters():
    args = request.args
    return {"action": args.get("action"), "actor_id": args.get("actor_id"),
            "campaign_id": args.get("campaign_id")}


@bp.get("/")
@login_required
def index():
    page = audit.list_audit_entries(current_user, page=request.args.get("page"), **_filters())
    return render_template("admin/audit.html", page=page, filters=_filters())


@bp.get("/export.csv")
@login_required
def export():
    return Response(audit.export_audit_csv(current_user, **_filters()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
