"""Sessions the server can end: a random session token per user, carried by the cookies instead of the
row id (existing sessions end once: every person signs in again); wrong passwords counted per username
for the sign-in slow-down; a row /healthz writes; group names unique whatever their case in any alphabet

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:45:00

"""
import secrets
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id).values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_session_token'), ['session_token'])

    op.create_table('health_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_check'))
    )
    op.create_table('sign_in_throttle',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.Column('wait_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_sign_in_throttle'))
    )

    with op.batch_alter_table('group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=120), nullable=True))
    group = sa.table('group', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('name_key', sa.String))
    seen = set()
    for group_id, name in connection.execute(sa.select(group.c.id, group.c.name).order_by(group.c.id)).all():
        # As app.names.name_key (copied: a migration must not change when the app does).
        key = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
        if key in seen:  # "Équipe Été" beside "équipe été", allowed before: the later one is told apart
            key = f"{key} ({group_id})"
        seen.add(key)
        connection.execute(group.update().where(group.c.id == group_id).values(name_key=key[:120]))
    with op.batch_alter_table('group', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=120), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_group_name_key'), ['name_key'])


def downgrade():
    with op.batch_alter_table('group', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_group_name_key'), type_='unique')
        batch_op.drop_column('name_key')
    op.drop_table('sign_in_throttle')
    op.drop_table('health_check')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_session_token'), type_='unique')
        batch_op.drop_column('session_token')
