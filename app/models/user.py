import enum
import secrets

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, enum_column, utcnow_column_default


class Role(enum.Enum):
    PARTICIPANT = "participant"
    MODERATOR = "moderator"
    ADMIN = "admin"
    EXECUTIVE = "executive"


class ParticipantKind(enum.Enum):
    STAFF = "staff"
    PARTNER = "partner"
    CUSTOMER = "customer"


def new_session_token():
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lowercased (see domain.accounts), so the unique index also serves look-ups.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.PARTICIPANT)
    kind: Mapped[ParticipantKind] = mapped_column(
        enum_column(ParticipantKind), default=ParticipantKind.STAFF
    )
    department: Mapped[str | None] = mapped_column(String(80))
    country: Mapped[str | None] = mapped_column(String(2))
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: rotating it ends every session of the account at once.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    # A moderator's suspension: the person can read but not take part until then.
    suspended_until = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    def __repr__(self):
        return f"<User {self.id} {self.email}>"
