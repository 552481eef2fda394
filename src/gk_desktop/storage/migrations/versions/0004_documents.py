"""documents: the Document record, content-addressed blobs, and links from evidence records

Additive (SYNC.md §3.8). Blobs are not synced records (they travel by hash, SYNC.md §3.7).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:57:01.855729
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('document',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('delete_by', sa.Date(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('education_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_education_record_document_id', 'document', ['document_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('identity_effort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_identity_effort_document_id', 'document', ['document_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('language_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_language_certificate_document_id', 'document', ['document_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('work_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_work_record_document_id', 'document', ['document_id'], ['id'], ondelete='RESTRICT')



def downgrade() -> None:
    with op.batch_alter_table('work_record', schema=None) as batch_op:
        batch_op.drop_constraint('fk_work_record_document_id', type_='foreignkey')
        batch_op.drop_column('document_id')

    with op.batch_alter_table('language_certificate', schema=None) as batch_op:
        batch_op.drop_constraint('fk_language_certificate_document_id', type_='foreignkey')
        batch_op.drop_column('document_id')

    with op.batch_alter_table('identity_effort', schema=None) as batch_op:
        batch_op.drop_constraint('fk_identity_effort_document_id', type_='foreignkey')
        batch_op.drop_column('document_id')

    with op.batch_alter_table('education_record', schema=None) as batch_op:
        batch_op.drop_constraint('fk_education_record_document_id', type_='foreignkey')
        batch_op.drop_column('document_id')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_document_case_id'))

    op.drop_table('document')
    op.drop_table('blob')
