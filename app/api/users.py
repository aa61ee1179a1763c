"""The current user: the owner of the token."""
from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import nullable, operation, register_schema
from app.api.schemas import KINDS
from app.domain.accounts import SUPPORTED_LOCALES
from app.models import Role

register_schema("Me", {
    "type": "object",
    "required": ["id", "display_name", "email", "role", "kind", "department", "country",
                 "locale", "timezone"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "display_name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "role": {"type": "string", "enum": [role.value for role in Role]},
        "kind": {"type": "string", "enum": KINDS},
        "department": nullable({"type": "string"}),
        "country": nullable({"type": "string", "minLength": 2, "maxLength": 2,
                             "description": "ISO 3166 two-letter code."}),
        "locale": nullable({"type": "string", "enum": list(SUPPORTED_LOCALES)}),
        "timezone": nullable({"type": "string", "description": "IANA time zone name."}),
    },
})


def serialize_me(user):
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.value,
        "kind": user.kind.value,
        "department": user.department,
        "country": user.country,
        "locale": user.locale,
        "timezone": user.timezone,
    }


@bp.get("/me")
@operation("getMe", "The owner of the token", tag="users", auth="required",
           responses={200: "Me"})
@token_required
def get_me():
    return serialize_me(current_user())
