"""Help requests: a phone number and a time of day to be called back, the time last asked,
and at most one open request per learner and lesson (older duplicates closed first)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('call_back_time', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('waiting', sa.Boolean(), nullable=True))
    op.execute("UPDATE help_request SET updated_at = created_at")
    # Before the rule: keep the newest open request of each learner and lesson open, close the others.
    op.execute(
        "UPDATE help_request SET handled_at = created_at WHERE handled_at IS NULL AND id NOT IN"
        " (SELECT MAX(id) FROM help_request WHERE handled_at IS NULL GROUP BY user_id, lesson_id)"
    )
    op.execute(sa.text("UPDATE help_request SET waiting = :yes WHERE handled_at IS NULL").bindparams(yes=True))
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.alter_column('phone', server_default=None)
        batch_op.alter_column('call_back_time', server_default=None)
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_unique_constraint('uq_help_request_open', ['user_id', 'lesson_id', 'waiting'])


def downgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_help_request_open', type_='unique')
        batch_op.drop_column('waiting')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('call_back_time')
        batch_op.drop_column('phone')
