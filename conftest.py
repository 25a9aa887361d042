pytest_plugins = ["zapdesk.testing"]
