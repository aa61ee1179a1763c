"""Markdown previews: what an idea's or a comment's text will look like once posted."""
from app import ratelimits
from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import operation, register_schema
from app.api.parsing import body
from app.domain import previews

register_schema("PreviewInput", {
    "type": "object",
    "required": ["kind", "body"],
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "enum": sorted(previews.PREVIEW_LIMITS),
                 "description": "What the text is for; each kind has its own length limit."},
        "body": {"type": "string", "description": "Markdown."},
    },
})

register_schema("Preview", {
    "type": "object",
    "required": ["html", "length", "max_length"],
    "additionalProperties": False,
    "properties": {
        "html": {"type": "string", "description": "Sanitised HTML, exactly as it would be stored."},
        "length": {"type": "integer", "description": "Characters in the text, as posting counts them."},
        "max_length": {"type": "integer"},
    },
})


@bp.post("/previews")
@operation("previewMarkdown", "Render a text as it will look once posted", tag="previews",
           auth="required", body="PreviewInput", responses={200: "Preview"},
           description="Nothing is stored. 422 when `kind` is unknown or `body` is over the "
                       "kind's limit.")
@token_required
@ratelimits.previewing
def preview_markdown():
    data = body("kind", "body")
    kind, text = data.text("kind"), data.text("body")
    data.check()
    return previews.preview_markdown(current_user(), kind=kind, body=text or "")
