"""network and consent: offer categories, partners and their contacts, offers, consents, disclosures

Additive (new tables only). Categories and sample partners are seeded at unlock with fixed ids.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 22:32:40.263402
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('offer_category',
    sa.Column('key', sa.String(length=30), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('need_areas_json', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('partner',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('partner_type', sa.String(length=30), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('alliance_member', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('offer',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('target_group', sa.Text(), nullable=False),
    sa.Column('age_min', sa.Integer(), nullable=True),
    sa.Column('age_max', sa.Integer(), nullable=True),
    sa.Column('statuses_json', sa.Text(), nullable=False),
    sa.Column('min_language_level', sa.String(length=2), nullable=True),
    sa.Column('min_qualification', sa.String(length=30), nullable=True),
    sa.Column('prerequisites', sa.Text(), nullable=False),
    sa.Column('cost', sa.Text(), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('schedule', sa.Text(), nullable=False),
    sa.Column('runs_from', sa.Date(), nullable=True),
    sa.Column('runs_until', sa.Date(), nullable=True),
    sa.Column('capacity_note', sa.Text(), nullable=False),
    sa.Column('languages_json', sa.Text(), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_contact',
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('secure_channel', sa.String(length=30), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partner_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_contact_partner_id'), ['partner_id'], unique=False)

    op.create_table('consent',
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('consent_type', sa.String(length=30), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('categories_json', sa.Text(), nullable=False),
    sa.Column('form', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=40), nullable=False),
    sa.Column('interpreted', sa.Boolean(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('document_id', sa.String(length=36), nullable=True),
    sa.Column('info_sheet_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_partner_id'), ['partner_id'], unique=False)

    op.create_table('disclosure',
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('legal_basis', sa.String(length=30), nullable=False),
    sa.Column('consent_id', sa.String(length=36), nullable=True),
    sa.Column('legal_norm', sa.Text(), nullable=False),
    sa.Column('categories_json', sa.Text(), nullable=False),
    sa.Column('documents_json', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosure_consent_id'), ['consent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosure_partner_id'), ['partner_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_partner_id'))
        batch_op.drop_index(batch_op.f('ix_disclosure_consent_id'))
        batch_op.drop_index(batch_op.f('ix_disclosure_client_id'))

    op.drop_table('disclosure')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_partner_id'))
        batch_op.drop_index(batch_op.f('ix_consent_client_id'))

    op.drop_table('consent')
    with op.batch_alter_table('partner_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_contact_partner_id'))

    op.drop_table('partner_contact')
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_partner_id'))

    op.drop_table('offer')
    op.drop_table('partner')
    op.drop_table('offer_category')

