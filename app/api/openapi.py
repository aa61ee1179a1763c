"""The OpenAPI 3.1 document of API v1, built from the routes themselves.

Every view carries its operation (``@operation``) next to its code, and every noun module
registers the schemas of what it returns (``register_schema``), so the document is
assembled from the url_map and cannot list a route that does not exist.
"""
import re

from flask import current_app

from app.api import bp
from app.domain.validation import ID_MAX

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"

_SCHEMAS = {}

# Path parameters, by name, as the rules spell them.
MAX_ID = ID_MAX
ID_CONVERTER = f"int(min=1, max={MAX_ID})"
_PATH_PARAMETERS = {
    "campaign": ({"type": "string", "minLength": 1}, "The campaign's numeric id or its slug."),
    "idea_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The idea's id."),
    "comment_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The comment's id."),
    "comparison_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID},
                      "The id of a pair served to the caller."),
    "merge_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The merge's id."),
    "user_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The person's id."),
    "theme_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The theme's id."),
}

# Shared error responses: status -> (component name, description).
_ERROR_RESPONSES = {
    400: ("BadRequest", "The body is not valid JSON, or not a JSON object."),
    401: ("Unauthorized", "No token was sent (`authentication_required`) or the token is "
                          "malformed, revoked or belongs to a deactivated account (`invalid_token`)."),
    403: ("Forbidden", "The token's owner may not do this (e.g. `own_idea`, `not_author`, "
                       "`not_in_audience`)."),
    404: ("NotFound", "No such object, or the caller may not see it (private campaigns do not leak)."),
    409: ("Conflict", "A conflict, e.g. `campaign_not_open` when the campaign is upcoming or closed."),
    413: ("PayloadTooLarge", "The body is larger than the API accepts."),
    422: ("ValidationFailed", "One or more fields are invalid; `error.fields` names each of them. "
                              "Any operation refuses a query parameter or body field holding a NUL "
                              "character or an unpaired surrogate this way."),
    429: ("TooManyRequests", "Faster than the jam's limits allow (`rate_limited`); the message and the "
                             "Retry-After header say how many seconds to wait."),
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def register_schema(name, schema):
    """Add a component schema and return a reference to it."""
    _SCHEMAS[name] = schema
    return ref(name)


def nullable(schema):
    """``schema`` or null (JSON Schema 2020-12 style, as OpenAPI 3.1 uses)."""
    return {"anyOf": [schema, {"type": "null"}]}


DATE_TIME = {"type": "string", "format": "date-time",
             "description": "ISO-8601 in UTC with a trailing Z, e.g. 2026-05-01T09:30:00Z."}

register_schema("Error", {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code.",
                         "examples": ["validation_failed", "campaign_not_open", "invalid_token"]},
                "message": {"type": "string",
                            "description": "For people, in the language chosen by Accept-Language."},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "Field name to message, for each invalid field."},
            },
        },
    },
})


def query_parameter(name, schema, description, required=False):
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def operation(operation_id, summary, *, tag, auth="optional", query=(), body=None,
              body_required=True, responses, errors=(), description=None, csv=False):
    """Describe the view below for the OpenAPI document.

    ``auth`` is "optional" (anonymous callers may read public data) or "required";
    ``responses`` maps a success status to a schema name (None for no body);
    ``errors`` lists further error statuses. 401 and 422 are always possible (a bad token,
    and text no database can store, are refused everywhere); a body adds 400 and 413.
    ``body_required=False`` lets the caller send
    no body at all (for bodies whose fields are all optional). ``csv`` says the success
    response may also come as CSV text (chosen by a query parameter).
    """
    def decorator(view):
        refusals = set(errors) | ({429} if getattr(view, "rate_limited", False) else set())
        view.openapi = {
            "operation_id": operation_id, "summary": summary, "description": description,
            "tag": tag, "auth": auth, "query": list(query), "body": body,
            "body_required": body_required, "responses": dict(responses), "errors": refusals,
            "csv": csv,
        }
        return view
    return decorator


def openapi_path(rule):
    """``/api/v1/ideas/<int(...):idea_id>`` -> ``/api/v1/ideas/{idea_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _operation(rule, spec):
    op = {"operationId": spec["operation_id"], "summary": spec["summary"], "tags": [spec["tag"]]}
    if spec["description"]:
        op["description"] = spec["description"]
    parameters = []
    for name in sorted(rule.arguments):
        schema, description = _PATH_PARAMETERS[name]
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema,
                           "description": description})
    parameters.extend(spec["query"])
    if parameters:
        op["parameters"] = parameters
    # 401: a bad token is refused everywhere; 422: so is text no database can store, in any
    # query parameter or body field (app/inputs.py), before the operation runs.
    errors = {401, 422} | spec["errors"]
    if spec["body"]:
        op["requestBody"] = {"required": spec["body_required"],
                             "content": {"application/json": {"schema": ref(spec["body"])}}}
        errors |= {400, 413, 422}
    if spec["auth"] == "required":
        op["security"] = [{"bearerAuth": []}]
    else:
        op["security"] = [{}, {"bearerAuth": []}]
    responses = {}
    for status, schema_name in spec["responses"].items():
        if schema_name is None:
            responses[str(status)] = {"description": "Done; no content."}
        else:
            responses[str(status)] = {
                "description": "Success.",
                "content": {"application/json": {"schema": ref(schema_name)}},
            }
            if spec["csv"]:
                responses[str(status)]["content"]["text/csv"] = {"schema": {"type": "string"}}
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{_ERROR_RESPONSES[status][0]}"}
    op["responses"] = responses
    return op


def build_document():
    paths = {}
    tags = set()
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(bp.name + "."):
            continue
        spec = getattr(current_app.view_functions[rule.endpoint], "openapi", None)
        if spec is None:
            raise RuntimeError(f"API route {rule.rule} has no @operation")
        item = paths.setdefault(openapi_path(rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            item[method.lower()] = _operation(rule, spec)
        tags.add(spec["tag"])
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Idea Jam API",
            "version": API_VERSION,
            "description": (
                "JSON API of Idea Jam, crowdsourced innovation campaigns. Authenticate with a "
                "personal access token: `Authorization: Bearer ij_...`. Anonymous callers may "
                "read public campaigns, ideas and comments. Errors are "
                "`{\"error\": {\"code\", \"message\", \"fields\"}}`; messages follow "
                "Accept-Language (en; zh-Hant, zh-TW, zh-HK; zh-Hans, zh-CN, zh-SG), or the token owner's chosen language. Unknown "
                "routes answer 404 and unsupported methods 405 with the same error body. "
                "Times are ISO-8601 UTC with a trailing Z."
            ),
        },
        "tags": [{"name": name} for name in sorted(tags)],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(_SCHEMAS.items())),
            "responses": {
                name: {"description": description,
                       "content": {"application/json": {"schema": ref("Error")}}}
                for name, description in _ERROR_RESPONSES.values()
            },
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A personal access token, created on the profile page."},
            },
        },
    }


register_schema("OpenApiDocument", {"type": "object", "required": ["openapi", "paths"],
                                    "description": "This document."})


@bp.get("/openapi.json")
@operation("getOpenApiDocument", "This OpenAPI document", tag="meta",
           responses={200: "OpenApiDocument"})
def openapi_document():
    return build_document()
