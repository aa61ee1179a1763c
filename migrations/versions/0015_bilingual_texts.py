"""bilingual texts

A campaign's texts in two languages (``campaigns.language`` names the language of its main
texts; the ``*_translation`` columns hold them in the other one), review criteria names in
the other language (``review_criteria.name_translation``), and the language of each idea
(``ideas.language``). Existing campaigns and ideas get the language detected from their
words, in batches, so a large jam upgrades without holding every row in memory.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:40:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

BATCH = 2000
# A frozen copy of domain.languages.detect_language: a migration must not change when the
# application's rule does.
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3040-\u30ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _detect(*texts):
    text = " ".join(t or "" for t in texts)
    chinese = len(_CJK.findall(text))
    return "zh" if chinese and chinese >= len(_LATIN_WORD.findall(text)) else "en"


def _fill(table, *columns):
    bind = op.get_bind()
    rows = sa.table(table, sa.column("id"), sa.column("language"), *(sa.column(c) for c in columns))
    last = 0
    while True:
        batch = bind.execute(sa.select(rows.c.id, *(rows.c[c] for c in columns))
                             .where(rows.c.id > last).order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        chinese = [row[0] for row in batch if _detect(*row[1:]) == "zh"]
        if chinese:
            bind.execute(sa.update(rows).where(rows.c.id.in_(chinese)).values(language="zh"))
        last = batch[-1][0]


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('title_translation', sa.String(length=160), server_default='', nullable=False))
        batch_op.add_column(sa.Column('question_translation', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description_translation', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description_translation_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('code_of_conduct_translation', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('code_of_conduct_translation_html', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('review_criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_translation', sa.String(length=80), server_default='', nullable=False))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
    _fill('campaigns', 'title', 'question')
    _fill('ideas', 'title', 'body')


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('review_criteria', schema=None) as batch_op:
        batch_op.drop_column('name_translation')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('code_of_conduct_translation_html')
        batch_op.drop_column('code_of_conduct_translation')
        batch_op.drop_column('description_translation_html')
        batch_op.drop_column('description_translation')
        batch_op.drop_column('question_translation')
        batch_op.drop_column('title_translation')
        batch_op.drop_column('language')
