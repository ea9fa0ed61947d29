"""kitgen: structured interview kits from YAML."""

__version__ = "0.2.0"
