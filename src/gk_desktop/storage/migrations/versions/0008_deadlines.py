"""deadlines: the worker's decisions on computed deadlines and hand-made follow-ups

Additive (two new tables).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 00:50:27.795599
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deadline_decision',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=36), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name='fk_deadline_decision_client_id', ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('deadline_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_decision_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadline_decision_key'), ['key'], unique=False)

    op.create_table('follow_up',
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name='fk_follow_up_client_id', ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_client_id'), ['client_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_client_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('deadline_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_decision_key'))
        batch_op.drop_index(batch_op.f('ix_deadline_decision_client_id'))

    op.drop_table('deadline_decision')
