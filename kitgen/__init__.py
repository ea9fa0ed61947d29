"""kitgen: structured interview kits from YAML."""

__version__ = "0.1.0"
