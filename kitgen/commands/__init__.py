"""The checking and browsing commands: validate, lint, list/show and init."""
