"""The examdesk application shell: settings, app factory, CLI, database start-up, mail delivery."""
