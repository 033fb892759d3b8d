"""websites allowed to embed a clinic's form; where a request came from (utm_*, source)

Revision ID: f1a2c3e4b5d6
Revises: e5b8c3a1d2f4
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a2c3e4b5d6'
down_revision = 'e5b8c3a1d2f4'
branch_labels = None
depends_on = None

CAMPAIGN_COLUMNS = ('source', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content')
CAMPAIGN_LENGTH = 100  # booking.limits.CAMPAIGN_TEXT.high


def _length_check(column):
    return f"{column} IS NULL OR length({column}) BETWEEN 1 AND {CAMPAIGN_LENGTH}"


def upgrade():
    op.create_table(
        'embed_origin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=False),
        sa.Column('origin', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(origin) BETWEEN 8 AND 300', name=op.f('ck_embed_origin_origin_length')),
        sa.CheckConstraint("origin LIKE 'https://%' OR origin LIKE 'http://localhost%' "
                           "OR origin LIKE 'http://127.0.0.1%'", name=op.f('ck_embed_origin_origin_scheme')),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_embed_origin_clinic_id_clinic'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_embed_origin')),
        sa.UniqueConstraint('clinic_id', 'origin', name=op.f('uq_embed_origin_clinic_id_origin')),
    )
    op.create_index(op.f('ix_embed_origin_clinic_id'), 'embed_origin', ['clinic_id'], unique=False)
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for column in CAMPAIGN_COLUMNS:
        name = f'ck_consultation_request_{column}_length'
        if sqlite:
            # SQLite adds a column with its own CHECK in place (no rebuild of a table
            # that others point at), and drops it again the same way.
            op.execute(f'ALTER TABLE consultation_request ADD COLUMN {column} VARCHAR({CAMPAIGN_LENGTH}) '
                       f'CONSTRAINT {name} CHECK ({_length_check(column)})')
        else:
            op.add_column('consultation_request', sa.Column(column, sa.String(CAMPAIGN_LENGTH), nullable=True))
            op.create_check_constraint(name, 'consultation_request', _length_check(column))


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for column in CAMPAIGN_COLUMNS:
        if not sqlite:
            op.drop_constraint(f'ck_consultation_request_{column}_length', 'consultation_request', type_='check')
        op.drop_column('consultation_request', column)
    op.drop_index(op.f('ix_embed_origin_clinic_id'), table_name='embed_origin')
    op.drop_table('embed_origin')
