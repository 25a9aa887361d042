"""Alembic environment for zapdesk: one metadata, a branch per plugin (see
zapdesk/migrations_config.py), batch mode on SQLite so ALTERs work there too."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def engine():
    return target_db.engine


def run_migrations_offline():
    context.configure(url=engine().url.render_as_string(hide_password=False),
                      target_metadata=target_db.metadata, literal_binds=True,
                      render_as_batch=engine().dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_autogenerate(_context, _revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    with engine().connect() as connection:
        conf_args["render_as_batch"] = connection.dialect.name == "sqlite"
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
