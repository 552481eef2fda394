"""case management cycle: assessments with needs and resources, goals, tasks, agreements, service chains, referrals

Additive (new tables only).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 22:40:39.912015
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('assessment',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('next_reassessment_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_case_id'), ['case_id'], unique=False)

    op.create_table('agreement',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('goals_json', sa.Text(), nullable=False),
    sa.Column('tasks_json', sa.Text(), nullable=False),
    sa.Column('signed_by_client', sa.Boolean(), nullable=False),
    sa.Column('signed_by_worker', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=40), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)

    op.create_table('need',
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('need_area', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('own_view', sa.Text(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('gap_note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('resource',
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('need_area', sa.String(length=30), nullable=True),
    sa.Column('resource_type', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('goal',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('need_area', sa.String(length=30), nullable=False),
    sa.Column('need_id', sa.String(length=36), nullable=True),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('achievement', sa.Integer(), nullable=True),
    sa.Column('achievement_note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_need_id'), ['need_id'], unique=False)

    op.create_table('service_chain',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('goal_id', sa.String(length=36), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('coordinator', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_chain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_chain_case_id'), ['case_id'], unique=False)

    op.create_table('task',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('goal_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_goal_id'), ['goal_id'], unique=False)

    op.create_table('referral',
    sa.Column('chain_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.String(length=36), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('partner_contact_id', sa.String(length=36), nullable=True),
    sa.Column('passes_data', sa.Boolean(), nullable=False),
    sa.Column('categories_json', sa.Text(), nullable=False),
    sa.Column('consent_id', sa.String(length=36), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('actual_end_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('dropout_reason', sa.Text(), nullable=False),
    sa.Column('funding_component', sa.String(length=20), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['service_chain.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_contact_id'], ['partner_contact.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_partner_id'), ['partner_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_partner_id'))
        batch_op.drop_index(batch_op.f('ix_referral_offer_id'))
        batch_op.drop_index(batch_op.f('ix_referral_chain_id'))

    op.drop_table('referral')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_goal_id'))
        batch_op.drop_index(batch_op.f('ix_task_case_id'))

    op.drop_table('task')
    with op.batch_alter_table('service_chain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_chain_case_id'))

    op.drop_table('service_chain')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_need_id'))
        batch_op.drop_index(batch_op.f('ix_goal_case_id'))

    op.drop_table('goal')
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_assessment_id'))

    op.drop_table('resource')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_assessment_id'))

    op.drop_table('need')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_case_id'))

    op.drop_table('assessment')

