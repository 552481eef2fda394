"""residence checks: saved checks with their Stand, outcomes, overrides and the ABH coordination

Additive (a new table).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 00:04:18.336420
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('residence_check',
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('pathway', sa.String(length=20), nullable=False),
    sa.Column('light', sa.String(length=10), nullable=False),
    sa.Column('possible_from', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('stand', sa.Date(), nullable=True),
    sa.Column('result_json', sa.Text(), nullable=False),
    sa.Column('outcomes_json', sa.Text(), nullable=False),
    sa.Column('overrides_json', sa.Text(), nullable=False),
    sa.Column('abh_consulted_on', sa.Date(), nullable=True),
    sa.Column('abh_result', sa.Text(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('residence_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residence_check_client_id'), ['client_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('residence_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residence_check_client_id'))

    op.drop_table('residence_check')

