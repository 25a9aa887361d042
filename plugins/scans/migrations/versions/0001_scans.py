"""scans: scans and schedules

Revision ID: 0001_scans
Revises:
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_scans'
down_revision = None
branch_labels = ('scans',)
depends_on = ('0001_core', '0001_nodes', '0001_profiles')


def upgrade():
    op.create_table('scan_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('cron', sa.String(length=120), nullable=False),
    sa.Column('interval_s', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_scan_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['scan_profile.id'], name=op.f('fk_scan_schedule_profile_id_scan_profile')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_scan_schedule_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_schedule'))
    )
    with op.batch_alter_table('scan_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_schedule_next_run_at'), ['next_run_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_schedule_target_id'), ['target_id'], unique=False)

    op.create_table('scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('node_id', sa.Integer(), nullable=True),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('phases', sa.JSON(), nullable=False),
    sa.Column('phase_index', sa.Integer(), nullable=False),
    sa.Column('phase_progress', sa.JSON(), nullable=False),
    sa.Column('zap_ids', sa.JSON(), nullable=False),
    sa.Column('queued_reason', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attempts', sa.JSON(), nullable=False),
    sa.Column('tick', sa.Integer(), nullable=False),
    sa.Column('tick_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('node_error_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('progress_signature', sa.String(length=200), nullable=False),
    sa.Column('progress_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_notified', sa.Boolean(), nullable=False),
    sa.Column('requested_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempt_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('raw_path', sa.String(length=500), nullable=False),
    sa.Column('raw_sha256', sa.String(length=64), nullable=False),
    sa.Column('raw_bytes', sa.Integer(), nullable=False),
    sa.Column('urls_path', sa.String(length=500), nullable=False),
    sa.Column('urls_count', sa.Integer(), nullable=False),
    sa.Column('messages_count', sa.Integer(), nullable=False),
    sa.Column('alerts_count', sa.Integer(), nullable=False),
    sa.Column('coverage_available', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['zap_node.id'], name=op.f('fk_scan_node_id_zap_node'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['scan_profile.id'], name=op.f('fk_scan_profile_id_scan_profile'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['schedule_id'], ['scan_schedule.id'], name=op.f('fk_scan_schedule_id_scan_schedule'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_scan_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan'))
    )
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_finished_at'), ['finished_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_tick_due_at'), ['tick_due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_tick_due_at'))
        batch_op.drop_index(batch_op.f('ix_scan_target_id'))
        batch_op.drop_index(batch_op.f('ix_scan_state'))
        batch_op.drop_index(batch_op.f('ix_scan_profile_id'))
        batch_op.drop_index(batch_op.f('ix_scan_node_id'))
        batch_op.drop_index(batch_op.f('ix_scan_finished_at'))
        batch_op.drop_index(batch_op.f('ix_scan_created_at'))

    op.drop_table('scan')
    with op.batch_alter_table('scan_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_schedule_target_id'))
        batch_op.drop_index(batch_op.f('ix_scan_schedule_next_run_at'))

    op.drop_table('scan_schedule')
