"""Workshops, who came, and the participant categories recorded with consent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'workshop',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.String(length=120), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_workshop_group_id_group'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_created_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_day'), ['day'], unique=False)
    op.create_table(
        'workshop_attendance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_attendance_workshop_id_workshop'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workshop_attendance_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_attendance')),
        sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_attendance_workshop_id')),
    )
    with op.batch_alter_table('workshop_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_attendance_user_id'), ['user_id'], unique=False)
    op.create_table(
        'participant_category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_category')),
        sa.UniqueConstraint('label', name=op.f('uq_participant_category_label')),
    )
    op.create_table(
        'category_consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('consent_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_category_consent_user_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['category_id'], ['participant_category.id'], name=op.f('fk_category_consent_category_id_participant_category'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_category_consent_recorded_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_category_consent')),
        sa.UniqueConstraint('user_id', 'category_id', name=op.f('uq_category_consent_user_id')),
    )
    with op.batch_alter_table('category_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_consent_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('category_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_consent_user_id'))
    op.drop_table('category_consent')
    op.drop_table('participant_category')
    with op.batch_alter_table('workshop_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_attendance_user_id'))
    op.drop_table('workshop_attendance')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_day'))
        batch_op.drop_index(batch_op.f('ix_workshop_group_id'))
    op.drop_table('workshop')
