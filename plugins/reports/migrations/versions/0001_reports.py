"""reports: generated report files

Revision ID: 0001_reports
Revises:
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_reports'
down_revision = None
branch_labels = ('reports',)
depends_on = ('0001_core', '0001_profiles', '0001_scans')


def upgrade():
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('render_seconds', sa.Float(), nullable=False),
    sa.Column('requested_by', sa.String(length=254), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scan.id'], name=op.f('fk_report_scan_id_scan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_report_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('key', name=op.f('uq_report_key'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_format'), ['format'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_generated_at'), ['generated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_scan_id'), ['scan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_target_id'), ['target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_target_id'))
        batch_op.drop_index(batch_op.f('ix_report_scan_id'))
        batch_op.drop_index(batch_op.f('ix_report_generated_at'))
        batch_op.drop_index(batch_op.f('ix_report_format'))

    op.drop_table('report')
