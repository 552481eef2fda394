"""client register: full client, histories, programmes and legal rules, names search index

Additive only (SYNC.md §3.8): new columns get a server default for the rows already there, and
those rows get no new stamps (a migration never makes dots); the value is the field default
at read time. The FTS5 names index is local and derived: created empty here, filled at unlock.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:06:51.420071
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('funding_programme',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('funding_authority', sa.Text(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_until', sa.Date(), nullable=True),
    sa.Column('post_share_note', sa.Text(), nullable=False),
    sa.Column('age_min', sa.Integer(), nullable=False),
    sa.Column('age_max', sa.Integer(), nullable=False),
    sa.Column('primary_statuses_json', sa.Text(), nullable=False),
    sa.Column('secondary_statuses_json', sa.Text(), nullable=False),
    sa.Column('report_layout', sa.String(length=40), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('stand', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('legal_rule',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('stand', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('asylum_procedure',
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('decision_served_on', sa.Date(), nullable=True),
    sa.Column('legal_counsel', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('asylum_procedure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asylum_procedure_client_id'), ['client_id'], unique=False)

    op.create_table('client_language',
    sa.Column('language', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('client_language', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_language_client_id'), ['client_id'], unique=False)

    op.create_table('client_name_variant',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('client_name_variant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_name_variant_client_id'), ['client_id'], unique=False)

    op.create_table('client_nationality',
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('client_nationality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_nationality_client_id'), ['client_id'], unique=False)

    op.create_table('education_record',
    sa.Column('institution', sa.Text(), nullable=False),
    sa.Column('programme', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('attendance_ok', sa.Boolean(), nullable=True),
    sa.Column('qualification', sa.String(length=30), nullable=True),
    sa.Column('recognised', sa.Boolean(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('education_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_education_record_client_id'), ['client_id'], unique=False)

    op.create_table('identity_effort',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('proof', sa.Text(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_effort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_effort_client_id'), ['client_id'], unique=False)

    op.create_table('identity_status',
    sa.Column('clarified', sa.String(length=20), nullable=False),
    sa.Column('documents_available', sa.Text(), nullable=False),
    sa.Column('passport_valid_until', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_status_client_id'), ['client_id'], unique=False)

    op.create_table('language_certificate',
    sa.Column('language', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('skill', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('language_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_language_certificate_client_id'), ['client_id'], unique=False)

    op.create_table('personal_contact',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('relation', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('contact_data', sa.Text(), nullable=False),
    sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('personal_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_contact_client_id'), ['client_id'], unique=False)

    op.create_table('residence_period',
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('legal_detail', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('employment_permission', sa.String(length=30), nullable=False),
    sa.Column('residence_obligation', sa.Text(), nullable=True),
    sa.Column('issuing_office', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('residence_period', schema=None) as batch_op:
        batch_op.create_index('ix_residence_period_client_from', ['client_id', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_residence_period_client_id'), ['client_id'], unique=False)

    op.create_table('work_record',
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('employer', sa.Text(), nullable=False),
    sa.Column('occupation', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('planned_end_date', sa.Date(), nullable=True),
    sa.Column('actual_end_date', sa.Date(), nullable=True),
    sa.Column('hours_per_week', sa.Float(), nullable=True),
    sa.Column('work_permit_on', sa.Date(), nullable=True),
    sa.Column('chamber_registered', sa.Boolean(), nullable=True),
    sa.Column('end_reason', sa.String(length=30), nullable=True),
    sa.Column('income_covers', sa.String(length=20), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('work_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_record_client_id'), ['client_id'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=False, server_default=sa.text("'1'")))
        batch_op.add_column(sa.Column('access_route', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('intake_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('request', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('mandate', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('funding_programme_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('next_review_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closure_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('destination', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('evaluation', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('retention_until', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_funding_programme_id'), ['funding_programme_id'], unique=False)
        batch_op.create_foreign_key('fk_case_funding_programme_id', 'funding_programme', ['funding_programme_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country_of_origin', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('interpreter_needed', sa.Boolean(), nullable=False, server_default=sa.text("'0'")))
        batch_op.add_column(sa.Column('interpreter_language', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('entry_date_de', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('housing_type', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('preferred_contact_channel', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('minor_children', sa.Integer(), nullable=False, server_default=sa.text("'0'")))
        batch_op.add_column(sa.Column('responsible_abh', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('exclusion_outcome', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('exclusion_checked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('internal_notes', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.create_index('ix_client_birth_date', ['birth_date'], unique=False)

    op.execute(SEARCH_NAME_DDL)
    # The sync state tables become WITHOUT ROWID (stored in primary-key order, a third smaller);
    # the rows are copied unchanged, so no dot changes.
    for table in ("field_version", "record_clock"):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_with_rowid": False}):
            pass


SEARCH_NAME_DDL = (
    "CREATE VIRTUAL TABLE search_name USING fts5("
    "client_id UNINDEXED, kind UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')"
)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_name")
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index('ix_client_birth_date')
        batch_op.drop_column('internal_notes')
        batch_op.drop_column('exclusion_checked_on')
        batch_op.drop_column('exclusion_outcome')
        batch_op.drop_column('responsible_abh')
        batch_op.drop_column('minor_children')
        batch_op.drop_column('preferred_contact_channel')
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
        batch_op.drop_column('housing_type')
        batch_op.drop_column('address')
        batch_op.drop_column('entry_date_de')
        batch_op.drop_column('interpreter_language')
        batch_op.drop_column('interpreter_needed')
        batch_op.drop_column('country_of_origin')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_case_funding_programme_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_funding_programme_id'))
        batch_op.drop_column('retention_until')
        batch_op.drop_column('evaluation')
        batch_op.drop_column('destination')
        batch_op.drop_column('closure_reason')
        batch_op.drop_column('closed_on')
        batch_op.drop_column('next_review_on')
        batch_op.drop_column('funding_programme_id')
        batch_op.drop_column('mandate')
        batch_op.drop_column('request')
        batch_op.drop_column('intake_on')
        batch_op.drop_column('access_route')
        batch_op.drop_column('number')

    with op.batch_alter_table('work_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_record_client_id'))

    op.drop_table('work_record')
    with op.batch_alter_table('residence_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residence_period_client_id'))
        batch_op.drop_index('ix_residence_period_client_from')

    op.drop_table('residence_period')
    with op.batch_alter_table('personal_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_contact_client_id'))

    op.drop_table('personal_contact')
    with op.batch_alter_table('language_certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_language_certificate_client_id'))

    op.drop_table('language_certificate')
    with op.batch_alter_table('identity_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_status_client_id'))

    op.drop_table('identity_status')
    with op.batch_alter_table('identity_effort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_effort_client_id'))

    op.drop_table('identity_effort')
    with op.batch_alter_table('education_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_education_record_client_id'))

    op.drop_table('education_record')
    with op.batch_alter_table('client_nationality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_nationality_client_id'))

    op.drop_table('client_nationality')
    with op.batch_alter_table('client_name_variant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_name_variant_client_id'))

    op.drop_table('client_name_variant')
    with op.batch_alter_table('client_language', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_language_client_id'))

    op.drop_table('client_language')
    with op.batch_alter_table('asylum_procedure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asylum_procedure_client_id'))

    op.drop_table('asylum_procedure')
    op.drop_table('legal_rule')
    op.drop_table('funding_programme')
