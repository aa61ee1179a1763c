from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (Markdown)"))
    parent_id = HiddenField()
    # Shown when the campaign's code of conduct is still to be accepted (conduct.FIELD).
    accept_code_of_conduct = BooleanField(_l("I have read and accept the code of conduct"))


class EditCommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (Markdown)"))


class DeleteCommentForm(FlaskForm):
    pass
