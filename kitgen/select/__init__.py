"""Stage 2, select: the role's rules applied to its banks' questions -> a kit.

`selection` is pure (same inputs and seed, same questions); `kit` assembles the selected
questions with what a template or the kit's JSON needs, and its kit ID.
"""
