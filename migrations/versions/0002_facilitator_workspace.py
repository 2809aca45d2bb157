"""Facilitator workspace: facilitators per group, sign-in card tokens, help requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:07:15.435840

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_facilitator',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_group_facilitator_group_id_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_group_facilitator_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_facilitator'))
    )
    op.create_table('help_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=120), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_help_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_help_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_request'))
    )
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_request_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_token_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_sign_in_token_user_id'))
    )


def downgrade():
    op.drop_table('sign_in_token')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_help_request_created_at'))

    op.drop_table('help_request')
    op.drop_table('group_facilitator')
