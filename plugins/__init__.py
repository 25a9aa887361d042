"""zapdesk's first-party plugins. Each subpackage is registered through the
`zapdesk.plugins` entry-point group, exactly as a third-party plugin would be."""
