from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.content_state import ContentState
from app.models.types import UTCDateTime, enum_column, utcnow_column_default


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Replies hang off a top-level comment; the domain keeps threads one level deep.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    edited_at = mapped_column(UTCDateTime)
    deleted_at = mapped_column(UTCDateTime)
    content_state: Mapped[ContentState] = mapped_column(
        enum_column(ContentState), default=ContentState.PUBLISHED,
        server_default=ContentState.PUBLISHED.value)
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    moderator_edited_at = mapped_column(UTCDateTime)

    author = relationship("User", lazy="joined")
    parent = relationship("Comment", remote_side=[id])

    __table_args__ = (Index("ix_comments_idea_created", "idea_id", "created_at", "id"),)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_published(self):
        return self.content_state is ContentState.PUBLISHED
