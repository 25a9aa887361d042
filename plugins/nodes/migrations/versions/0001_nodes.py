"""nodes: the zap_node registry.

Revision ID: 0001_nodes
Revises:
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_nodes'
down_revision = None
branch_labels = ('nodes',)
depends_on = '0001_core'


def upgrade():
    op.create_table('zap_node',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('api_key_encrypted', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('running_scans', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.String(length=80), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zap_node')),
    sa.UniqueConstraint('base_url', name=op.f('uq_zap_node_base_url')),
    sa.UniqueConstraint('name', name=op.f('uq_zap_node_name'))
    )
    with op.batch_alter_table('zap_node', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zap_node_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('zap_node', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zap_node_status'))

    op.drop_table('zap_node')
