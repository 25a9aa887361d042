"""Job functions the job tests enqueue (by dotted path, as the app does)."""
from flask import current_app

from zapdesk.extensions import db
from zapdesk.models import set_setting


def record(key, value):
    set_setting(key, {"value": value, "instance": current_app.config["INSTANCE_NAME"]})
    db.session.commit()
    return value
