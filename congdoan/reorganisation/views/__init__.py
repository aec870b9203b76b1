"""Pages of the reorganisation app: the wizard, the event register and plans."""
