"""The autonomy ladder: the rungs each learner reached on each real procedure, and her claims

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

LEVELS = sa.Enum(
    'done-for-me', 'done-with-me', 'alone-in-exercise', 'alone-for-real', name='autonomylevel', native_enum=False, length=24,
)


def upgrade():
    op.create_table(
        'autonomy_claim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.String(length=120), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=False),
        sa.Column('waiting', sa.Boolean(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_autonomy_claim_user_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_autonomy_claim_answered_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_autonomy_claim')),
        sa.UniqueConstraint('user_id', 'procedure_id', 'waiting', name='uq_autonomy_claim_waiting'),
    )
    with op.batch_alter_table('autonomy_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autonomy_claim_user_id'), ['user_id'], unique=False)
    op.create_table(
        'autonomy_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.String(length=120), nullable=False),
        sa.Column('level', LEVELS, nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('by_platform', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_autonomy_step_user_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_autonomy_step_set_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['claim_id'], ['autonomy_claim.id'], name=op.f('fk_autonomy_step_claim_id_autonomy_claim'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_autonomy_step')),
        sa.UniqueConstraint('user_id', 'procedure_id', 'level', name='uq_autonomy_step_rung'),
    )
    with op.batch_alter_table('autonomy_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autonomy_step_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('autonomy_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autonomy_step_user_id'))
    op.drop_table('autonomy_step')
    with op.batch_alter_table('autonomy_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autonomy_claim_user_id'))
    op.drop_table('autonomy_claim')
