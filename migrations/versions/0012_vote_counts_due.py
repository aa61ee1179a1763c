"""vote counts due

Ideas whose vote counts changed and are not yet in their campaign's stream
(``vote_counts_due``), written with each vote, so any process can send them. Nothing to
fill: counts already in the stream are current.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vote_counts_due',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_vote_counts_due_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_vote_counts_due_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_vote_counts_due'))
    )
    with op.batch_alter_table('vote_counts_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_counts_due_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('vote_counts_due', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_counts_due_campaign_id'))
    op.drop_table('vote_counts_due')
