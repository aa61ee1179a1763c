"""idea vectors

What each idea means as a sentence vector (``idea_vectors``), computed once after an idea
is posted or edited and read by the similar-idea look-ups, likely duplicates and themes.
Nothing to fill: a server computes the vectors of ideas that have none in the background,
and a look-up or refresh computes any still missing.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idea_vectors',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=32), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_idea_vectors_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_vectors_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_idea_vectors'))
    )
    with op.batch_alter_table('idea_vectors', schema=None) as batch_op:
        batch_op.create_index('ix_idea_vectors_campaign', ['campaign_id', 'idea_id'], unique=False)


def downgrade():
    with op.batch_alter_table('idea_vectors', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_vectors_campaign')
    op.drop_table('idea_vectors')
