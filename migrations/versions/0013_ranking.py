"""ranking

The "best" sort no longer depends on the campaign's up-share (it is a lower confidence bound
of the idea's own up-share, ``domain.ranking.best_score``): the campaigns' vote totals and
share go, and every idea's kept "best" score is worked out again. Two indexes let a pair be
served from a few ideas near a strength or least shown, however many ideas a campaign has.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:40:00.000000

"""
import math

from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# domain.ranking.BEST_Z, copied: a migration keeps the formula it was written with.
BEST_Z = 1.2815515655446004
BATCH = 2000


def _best_score(up, down):
    """domain.ranking.best_score as of this revision (Wilson lower bound, one virtual up- and
    down-vote)."""
    up, down = up + 1.0, down + 1.0
    n = up + down
    p = up / n
    z2 = BEST_Z * BEST_Z
    centre = p + z2 / (2.0 * n)
    spread = BEST_Z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return (centre - spread) / (1.0 + z2 / n)


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('best_share')
        batch_op.drop_column('down_total')
        batch_op.drop_column('up_total')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_campaign_strength', ['campaign_id', 'pairwise_strength', 'id'],
                              unique=False)
        batch_op.create_index('ix_ideas_campaign_appearances', ['campaign_id', 'pairwise_appearances', 'id'],
                              unique=False)

    # Re-score in Python: SQLite has no portable square root.
    conn = op.get_bind()
    ideas = sa.table('ideas', sa.column('id', sa.Integer), sa.column('up_count', sa.Integer),
                     sa.column('down_count', sa.Integer), sa.column('best_score', sa.Float))
    last = 0
    while True:
        rows = conn.execute(sa.select(ideas.c.id, ideas.c.up_count, ideas.c.down_count)
                            .where(ideas.c.id > last).order_by(ideas.c.id).limit(BATCH)).all()
        if not rows:
            break
        conn.execute(ideas.update().where(ideas.c.id == sa.bindparam('idea_id'))
                     .values(best_score=sa.bindparam('score')),
                     [{'idea_id': r.id, 'score': _best_score(r.up_count or 0, r.down_count or 0)} for r in rows])
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_campaign_appearances')
        batch_op.drop_index('ix_ideas_campaign_strength')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('up_total', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('down_total', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('best_share', sa.Float(), server_default='0.5', nullable=False))

    # The earlier "best": the up-share shrunk towards the campaign's share by 4 votes.
    op.execute("UPDATE campaigns SET "
               "up_total = (SELECT COALESCE(SUM(up_count), 0) FROM ideas WHERE ideas.campaign_id = campaigns.id), "
               "down_total = (SELECT COALESCE(SUM(down_count), 0) FROM ideas WHERE ideas.campaign_id = campaigns.id)")
    op.execute("UPDATE campaigns SET best_share = (up_total + 1.0) / (up_total + down_total + 2.0)")
    op.execute("UPDATE ideas SET best_score = (up_count + 4.0 * (SELECT best_share FROM campaigns "
               "WHERE campaigns.id = ideas.campaign_id)) / (up_count + down_count + 4.0)")
