from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (Markdown)"))
    parent_id = HiddenField()


class EditCommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (Markdown)"))


class DeleteCommentForm(FlaskForm):
    pass
