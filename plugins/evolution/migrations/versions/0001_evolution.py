"""evolution: findings, occurrences, triage rules, risk snapshots, comparisons

Revision ID: 0001_evolution
Revises:
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_evolution'
down_revision = None
branch_labels = ('evolution',)
depends_on = ('0001_core', '0001_profiles', '0001_scans')


def upgrade():
    op.create_table('comparison',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('from_scan_id', sa.Integer(), nullable=True),
    sa.Column('to_scan_id', sa.Integer(), nullable=False),
    sa.Column('on_demand', sa.Boolean(), nullable=False),
    sa.Column('comparable', sa.Boolean(), nullable=False),
    sa.Column('coverage', sa.String(length=12), nullable=False),
    sa.Column('new_count', sa.Integer(), nullable=False),
    sa.Column('resolved_count', sa.Integer(), nullable=False),
    sa.Column('persisting_count', sa.Integer(), nullable=False),
    sa.Column('regressed_count', sa.Integer(), nullable=False),
    sa.Column('risk_changed_count', sa.Integer(), nullable=False),
    sa.Column('not_retested_count', sa.Integer(), nullable=False),
    sa.Column('risk_before', sa.Float(), nullable=False),
    sa.Column('risk_after', sa.Float(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_scan_id'], ['scan.id'], name=op.f('fk_comparison_from_scan_id_scan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_comparison_target_id_target'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_scan_id'], ['scan.id'], name=op.f('fk_comparison_to_scan_id_scan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comparison'))
    )
    op.create_index('ix_comparison_target_to', 'comparison', ['target_id', 'to_scan_id'], unique=False)
    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('rule_id', sa.String(length=40), nullable=False),
    sa.Column('plugin_id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('risk', sa.SmallInteger(), nullable=False),
    sa.Column('confidence', sa.SmallInteger(), nullable=False),
    sa.Column('cwe', sa.Integer(), nullable=False),
    sa.Column('wasc', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('solution', sa.Text(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('url_template', sa.Text(), nullable=False),
    sa.Column('param', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('status_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('triage_rule_id', sa.Integer(), nullable=True),
    sa.Column('first_seen_scan_id', sa.Integer(), nullable=False),
    sa.Column('last_seen_scan_id', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['first_seen_scan_id'], ['scan.id'], name=op.f('fk_finding_first_seen_scan_id_scan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_seen_scan_id'], ['scan.id'], name=op.f('fk_finding_last_seen_scan_id_scan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_finding_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding')),
    sa.UniqueConstraint('target_id', 'fingerprint', name=op.f('uq_finding_target_id'))
    )
    op.create_index('ix_finding_rule', 'finding', ['rule_id', 'target_id'], unique=False)
    op.create_index('ix_finding_status_first_seen', 'finding', ['status', 'first_seen_at', 'id'], unique=False)
    op.create_index('ix_finding_status_last_seen', 'finding', ['status', 'last_seen_at', 'id'], unique=False)
    op.create_index('ix_finding_status_risk_id', 'finding', ['status', 'risk', 'id'], unique=False)
    op.create_index('ix_finding_target_status_risk_id', 'finding', ['target_id', 'status', 'risk', 'id'], unique=False)
    op.create_table('risk_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scan.id'], name=op.f('fk_risk_snapshot_scan_id_scan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_snapshot'))
    )
    op.create_index(op.f('ix_risk_snapshot_scan_id'), 'risk_snapshot', ['scan_id'], unique=False)
    op.create_index('ix_risk_snapshot_scope_at', 'risk_snapshot', ['scope', 'scope_id', 'created_at'], unique=False)
    op.create_table('scan_ingest',
    sa.Column('scan_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scan.id'], name=op.f('fk_scan_ingest_scan_id_scan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_scan_ingest_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scan_id', name=op.f('pk_scan_ingest'))
    )
    op.create_index(op.f('ix_scan_ingest_target_id'), 'scan_ingest', ['target_id'], unique=False)
    op.create_table('comparison_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comparison_id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=16), nullable=False),
    sa.Column('risk_before', sa.SmallInteger(), nullable=True),
    sa.Column('risk_after', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['comparison_id'], ['comparison.id'], name=op.f('fk_comparison_item_comparison_id_comparison'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_comparison_item_finding_id_finding'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comparison_item'))
    )
    op.create_index('ix_comparison_item_comparison_change', 'comparison_item', ['comparison_id', 'change'], unique=False)
    op.create_index(op.f('ix_comparison_item_finding_id'), 'comparison_item', ['finding_id'], unique=False)
    op.create_table('finding_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_finding_event_finding_id_finding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scan_id'], ['scan.id'], name=op.f('fk_finding_event_scan_id_scan'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_event'))
    )
    op.create_index('ix_finding_event_finding_at', 'finding_event', ['finding_id', 'at'], unique=False)
    op.create_table('occurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('param', sa.Text(), nullable=False),
    sa.Column('attack', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('other', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=40), nullable=False),
    sa.Column('risk', sa.SmallInteger(), nullable=False),
    sa.Column('confidence', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_occurrence_finding_id_finding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scan_id'], ['scan.id'], name=op.f('fk_occurrence_scan_id_scan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occurrence'))
    )
    op.create_index('ix_occurrence_finding_scan', 'occurrence', ['finding_id', 'scan_id'], unique=False)
    op.create_index('ix_occurrence_scan_finding', 'occurrence', ['scan_id', 'finding_id'], unique=False)
    op.create_table('triage_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.String(length=40), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('author', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_triage_rule_finding_id_finding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_triage_rule_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_rule'))
    )
    op.create_index('ix_triage_rule_active_scope', 'triage_rule', ['active', 'scope', 'rule_id'], unique=False)
    op.create_index(op.f('ix_triage_rule_finding_id'), 'triage_rule', ['finding_id'], unique=False)
    op.create_index(op.f('ix_triage_rule_target_id'), 'triage_rule', ['target_id'], unique=False)
    # ### end Alembic commands ###


def downgrade():
    op.drop_index(op.f('ix_triage_rule_target_id'), table_name='triage_rule')
    op.drop_index(op.f('ix_triage_rule_finding_id'), table_name='triage_rule')
    op.drop_index('ix_triage_rule_active_scope', table_name='triage_rule')
    op.drop_table('triage_rule')
    op.drop_index('ix_occurrence_scan_finding', table_name='occurrence')
    op.drop_index('ix_occurrence_finding_scan', table_name='occurrence')
    op.drop_table('occurrence')
    op.drop_index('ix_finding_event_finding_at', table_name='finding_event')
    op.drop_table('finding_event')
    op.drop_index(op.f('ix_comparison_item_finding_id'), table_name='comparison_item')
    op.drop_index('ix_comparison_item_comparison_change', table_name='comparison_item')
    op.drop_table('comparison_item')
    op.drop_index(op.f('ix_scan_ingest_target_id'), table_name='scan_ingest')
    op.drop_table('scan_ingest')
    op.drop_index('ix_risk_snapshot_scope_at', table_name='risk_snapshot')
    op.drop_index(op.f('ix_risk_snapshot_scan_id'), table_name='risk_snapshot')
    op.drop_table('risk_snapshot')
    op.drop_index('ix_finding_target_status_risk_id', table_name='finding')
    op.drop_index('ix_finding_status_risk_id', table_name='finding')
    op.drop_index('ix_finding_status_last_seen', table_name='finding')
    op.drop_index('ix_finding_status_first_seen', table_name='finding')
    op.drop_index('ix_finding_rule', table_name='finding')
    op.drop_table('finding')
    op.drop_index('ix_comparison_target_to', table_name='comparison')
    op.drop_table('comparison')
    # ### end Alembic commands ###
