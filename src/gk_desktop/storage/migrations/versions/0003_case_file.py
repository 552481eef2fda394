"""case file: interview fields, need areas, drafts

Additive (SYNC.md §3.8): the new interview fields get a server default for the rows already
there and no new stamps. The draft table is local (never synced). The notes search index is
derived and built at unlock.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:30:40.646363
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('draft',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('record_id', sa.String(length=36), nullable=True),
    sa.Column('payload_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_client_id'), ['client_id'], unique=False)

    op.create_table('contact_need_area',
    sa.Column('contact_id', sa.String(length=36), nullable=False),
    sa.Column('need_area', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_need_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_need_area_contact_id'), ['contact_id'], unique=False)

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('participants', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('interpreter', sa.String(length=20), nullable=False, server_default=sa.text("'KEINE'")))
        batch_op.add_column(sa.Column('interpreter_language', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('agreements', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('next_appointment', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('next_appointment')
        batch_op.drop_column('agreements')
        batch_op.drop_column('interpreter_language')
        batch_op.drop_column('interpreter')
        batch_op.drop_column('participants')
        batch_op.drop_column('place')

    with op.batch_alter_table('contact_need_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_need_area_contact_id'))

    op.drop_table('contact_need_area')
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_client_id'))

    op.drop_table('draft')
