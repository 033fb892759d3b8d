"""reserved clinic slugs

Revision ID: b84349024b48
Revises: 0bf0c6dc66b2
Create Date: 2026-11-22 09:20:34.545634

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b84349024b48'
down_revision = '0bf0c6dc66b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'reserved_slug', "slug NOT IN ('api', 'dashboard', 'manage', 'staff', 'static')"
        )


def downgrade():
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.drop_constraint('reserved_slug', type_='check')
