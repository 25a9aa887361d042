# Fixtures: the core's (app, database, users, browser, workers) and the nodes plugin's
# (simulated ZAP nodes, a local target site) for every plugin's tests.
pytest_plugins = ["zapdesk.testing", "plugins.nodes.testing"]
