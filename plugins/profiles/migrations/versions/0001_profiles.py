"""profiles: projects, targets, scan profiles

Revision ID: 0001_profiles
Revises:
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_profiles'
down_revision = None
branch_labels = ('profiles',)
depends_on = ('0001_core', '0001_nodes')


def upgrade():
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('name', name=op.f('uq_project_name'))
    )
    op.create_table('scan_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('spider_max_depth', sa.Integer(), nullable=False),
    sa.Column('spider_max_children', sa.Integer(), nullable=False),
    sa.Column('spider_max_duration_min', sa.Integer(), nullable=False),
    sa.Column('ajax_spider', sa.Boolean(), nullable=False),
    sa.Column('ajax_spider_max_duration_min', sa.Integer(), nullable=False),
    sa.Column('openapi_url', sa.String(length=2000), nullable=False),
    sa.Column('openapi_file', sa.String(length=500), nullable=False),
    sa.Column('scan_policy', sa.String(length=120), nullable=False),
    sa.Column('attack_strength', sa.String(length=16), nullable=False),
    sa.Column('alert_threshold', sa.String(length=16), nullable=False),
    sa.Column('max_duration_s', sa.Integer(), nullable=False),
    sa.Column('pinned_node_id', sa.Integer(), nullable=True),
    sa.Column('alert_filters', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pinned_node_id'], ['zap_node.id'], name=op.f('fk_scan_profile_pinned_node_id_zap_node'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_profile')),
    sa.UniqueConstraint('name', name=op.f('uq_scan_profile_name'))
    )
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('base_url', sa.String(length=2000), nullable=False),
    sa.Column('scope_include', sa.JSON(), nullable=False),
    sa.Column('scope_exclude', sa.JSON(), nullable=False),
    sa.Column('environment', sa.String(length=40), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('auth_kind', sa.String(length=16), nullable=False),
    sa.Column('auth_config_encrypted', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_target_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('base_url', name=op.f('uq_target_base_url'))
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_project_id'))

    op.drop_table('target')
    op.drop_table('scan_profile')
    op.drop_table('project')
