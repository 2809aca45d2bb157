"""Self-assessment: « Je sais … » answers at a module's start and end

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 23:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=120), nullable=False),
        sa.Column(
            "moment", sa.Enum("debut", "fin", name="selfassessmentmoment", native_enum=False, length=8), nullable=False
        ),
        sa.Column("statement", sa.Integer(), nullable=False),
        sa.Column("statement_text", sa.String(length=160), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("pas-encore", "un-peu", "oui", name="knowhow", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_self_assessment_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment")),
    )
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.create_index("ix_self_assessment_user_module", ["user_id", "module_id", "moment"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_assessment_at"), ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_at"))
        batch_op.drop_index("ix_self_assessment_user_module")
    op.drop_table("self_assessment")
