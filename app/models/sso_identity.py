from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow_column_default


class SsoIdentity(db.Model):
    """A user's identity at an organisation's sign-in provider: the provider's subject id,
    linked to one user. The refresh token lets the jam ask the provider, now and then, whether
    the person still belongs (and to which groups) between two sign-ins."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"), UniqueConstraint("user_id", "provider"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    refresh_token: Mapped[str | None] = mapped_column(Text)
    groups: Mapped[str] = mapped_column(Text, default="", server_default="")  # as last seen, one per line
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    checked_at = mapped_column(UTCDateTime)

    user = relationship("User")
