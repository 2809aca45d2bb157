"""A practice step keeps which fields, choices or boxes were not right

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, as 0010 does: no copy of the table. Steps recorded before keep an empty
    # list, and the facilitator's page says « un champ, un choix ou une case n'était pas bon », as it did.
    op.add_column("scenario_step", sa.Column("wrong_inputs", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    # Native DROP COLUMN (SQLite 3.35+).
    op.drop_column("scenario_step", "wrong_inputs")
