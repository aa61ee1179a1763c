"""Merges: a duplicate idea merged into another (votes move, nobody counts twice), and undone."""
from app.api import bp
from app.api.auth import current_user, token_required
from app.api.ideas import IDEA_PATH
from app.api.openapi import DATE_TIME, ID_CONVERTER, nullable, operation, register_schema
from app.api.parsing import body
from app.api.schemas import iso
from app.domain import merges

register_schema("MergeInput", {
    "type": "object",
    "required": ["into"],
    "additionalProperties": False,
    "properties": {
        "into": {"type": "integer", "minimum": 1,
                 "description": "The published, unmerged idea of the same campaign to merge into."},
        "note": {"type": "string", "maxLength": merges.NOTE_MAX,
                 "description": "Told to the merged idea's author; kept in its status history."},
    },
})

register_schema("Merge", {
    "type": "object",
    "required": ["id", "source_id", "target_id", "note", "moved_votes", "created_at",
                 "undone_at"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "description": "Undo with POST /merges/{id}/undo."},
        "source_id": {"type": "integer", "description": "The idea merged away (now a duplicate)."},
        "target_id": {"type": "integer", "description": "The idea it was merged into."},
        "note": {"type": "string"},
        "moved_votes": {"type": "integer", "minimum": 0,
                        "description": "Votes moved to the target: those of people who had not "
                                       "voted on it and did not write it."},
        "created_at": DATE_TIME,
        "undone_at": nullable(DATE_TIME),
    },
})


def serialize_merge(record):
    return {"id": record.id, "source_id": record.source_id, "target_id": record.target_id,
            "note": record.note, "moved_votes": len(record.moved_vote_ids or []),
            "created_at": iso(record.created_at), "undone_at": iso(record.undone_at)}


@bp.post(IDEA_PATH + "/merge")
@operation("mergeIdea", "Merge a duplicate idea into another (moderators and admins)",
           tag="moderation", auth="required", body="MergeInput", responses={201: "Merge"},
           errors={403, 404, 409},
           description="The idea becomes a `duplicate` pointing at `into` (`merged_into_id`); its "
                       "votes move there unless the voter already voted on it or wrote it; its "
                       "comments stay. 409 `already_merged` for an idea merged already.")
@token_required
def merge_idea(idea_id):
    data = body("into", "note")
    into, note = data.optional_id("into"), data.text("note")
    data.check()
    return serialize_merge(merges.merge_idea(current_user(), idea_id, into=into,
                                             note=note or "")), 201


@bp.post(f"/merges/<{ID_CONVERTER}:merge_id>/undo")
@operation("undoMerge", "Undo a merge exactly (moderators and admins)", tag="moderation",
           auth="required", body="ReasonInput", body_required=False, responses={200: "Merge"},
           errors={403, 404, 409},
           description="The moved votes go back, both ideas' counts are recomputed and the "
                       "merged idea gets its earlier status back. 409 `already_undone`.")
@token_required
def undo_merge(merge_id):
    data = body("reason", optional=True)
    reason = data.text("reason")
    data.check()
    return serialize_merge(merges.undo_merge(current_user(), merge_id, reason=reason or ""))
