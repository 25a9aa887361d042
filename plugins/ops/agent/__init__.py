"""The ops agent: a small WSGI service (`zapdesk ops-agent`) beside the Docker socket that
runs allow-listed `docker compose` actions for the web app's /ops/actions page."""
