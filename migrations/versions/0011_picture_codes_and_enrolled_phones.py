"""Picture codes and the phones enrolled by a person's card

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picture_code_hash', sa.String(length=256), nullable=True))
    op.create_table(
        'enrolled_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('keep_signed_in', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_enrolled_device_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolled_device')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_enrolled_device_secret_hash')),
    )
    with op.batch_alter_table('enrolled_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolled_device_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolled_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolled_device_user_id'))
    op.drop_table('enrolled_device')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('picture_code_hash')
