"""Quiz attempts record the hints opened per question

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: SQLite's batch mode would copy the table, and dropping the old one
    # cascades to the activity log entries that point at its attempts. Attempts stored before
    # hints existed opened none.
    op.add_column('quiz_attempt', sa.Column('hints', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    # Native DROP COLUMN (SQLite 3.35+): no copy of the table, so the log keeps its entries.
    op.drop_column('quiz_attempt', 'hints')
