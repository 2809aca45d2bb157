"""Practice scenarios: a learner's runs and their steps

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # The activity log's kind is a plain string column (no constraint): its two new values
    # (exercise_step, exercise_finished) need no change of the table.
    op.create_table(
        'scenario_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.String(length=120), nullable=False),
        sa.Column('scenario_version', sa.String(length=16), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('current_screen_id', sa.String(length=120), nullable=False),
        sa.Column('step_count', sa.Integer(), nullable=False),
        sa.Column('shown_count', sa.Integer(), nullable=False),
        sa.Column('mistake_count', sa.Integer(), nullable=False),
        sa.Column('wrong_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_scenario_run_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_run')),
    )
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_run_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index('ix_scenario_run_user_scenario', ['user_id', 'scenario_id', 'started_at'], unique=False)
    op.create_table(
        'scenario_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('screen_id', sa.String(length=120), nullable=False),
        sa.Column('action_label', sa.String(length=300), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['scenario_run.id'], name=op.f('fk_scenario_step_run_id_scenario_run'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_step')),
        sa.UniqueConstraint('run_id', 'number', name=op.f('uq_scenario_step_run_id')),
    )


def downgrade():
    op.drop_table('scenario_step')
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.drop_index('ix_scenario_run_user_scenario')
        batch_op.drop_index(batch_op.f('ix_scenario_run_scenario_id'))
    op.drop_table('scenario_run')
