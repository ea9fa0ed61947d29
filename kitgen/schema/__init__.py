"""Stage 1, schema: YAML files with line numbers -> pydantic models, checked across files.

`yaml_source` reads YAML (libyaml) keeping every node's location; `models` are the
role-profile and bank schemas; `messages` turns validation errors into located, plain
sentences; `loading` resolves banks and checks a role against them; `_bank_cache`
keeps parsed banks by content hash.
"""
